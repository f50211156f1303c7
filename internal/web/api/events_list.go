package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Event is the public JSON shape of an event (see openapi.json).
type Event struct {
	Slug             string            `json:"slug"`
	Number           int               `json:"number"`
	Title            map[string]string `json:"title"`
	City             string            `json:"city"`
	Country          string            `json:"country"`
	StartsOn         string            `json:"starts_on"`
	EndsOn           string            `json:"ends_on"`
	TimeZone         string            `json:"time_zone"`
	Capacity         *int              `json:"capacity"`
	RegistrationOpen bool              `json:"registration_open"`
	PlacesLeft       *int              `json:"places_left"`
}

// EventsList answers GET /api/v1/events: every event by date.
func (h *Handler) EventsList(c *gin.Context) error {
	events, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	now := h.Now()
	out := make([]Event, 0, len(events))
	for _, e := range events {
		out = append(out, Event{
			Slug: e.Slug, Number: e.Number, Title: e.Title, City: e.City, Country: e.Country,
			StartsOn: e.FirstDay.Format("2006-01-02"), EndsOn: e.LastDay.Format("2006-01-02"),
			TimeZone: e.TimeZone, Capacity: e.Capacity,
			RegistrationOpen: e.RegistrationOpen(now), PlacesLeft: e.PlacesLeft(),
		})
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, out)
	return nil
}

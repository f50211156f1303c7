package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
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
	// Questions the registration form asks besides the built-in fields;
	// their answers go in the registration's "answers" by key.
	Questions []Question `json:"questions"`
}

// EventsList answers GET /api/v1/events: every event by date.
func (h *Handler) EventsList(c *gin.Context) error {
	events, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	qs, err := h.Store.QuestionsOfEvents(c.Request.Context(), h.Store.DB, ids)
	if err != nil {
		return err
	}
	now := h.Now()
	out := make([]Event, 0, len(events))
	for _, e := range events {
		var own []store.Question
		for _, q := range qs {
			if q.EventID == e.ID {
				own = append(own, q)
			}
		}
		out = append(out, Event{
			Slug: e.Slug, Number: e.Number, Title: e.Title, City: e.City, Country: e.Country,
			StartsOn: e.FirstDay.Format("2006-01-02"), EndsOn: e.LastDay.Format("2006-01-02"),
			TimeZone: e.TimeZone, Capacity: e.Capacity,
			RegistrationOpen: e.RegistrationOpen(now), PlacesLeft: e.PlacesLeft(), Questions: questionsJSON(own),
		})
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, out)
	return nil
}

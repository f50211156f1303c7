package public

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type eventData struct {
	Event   view.EventView
	Days    []view.DayView
	Opens   string
	Closes  string
	MapURL  string
	Waiting bool // a full event: new registrations join the waiting list
}

// loadEvent finds the event of the :slug parameter; unknown slugs are 404.
// Public pages show every event to anyone, so there is no access rule to
// apply (Env.Objects is for signed-in callers).
func (h *Handler) loadEvent(c *gin.Context) (store.Event, error) {
	e, err := h.Store.EventBySlug(c.Request.Context(), h.Store.DB, c.Param("slug"))
	if errors.Is(err, store.ErrNotFound) {
		err = apperr.ErrNotFound
	}
	return e, err
}

// EventShow is an event's page: facts, days, places, registration window,
// map and calendar links.
func (h *Handler) EventShow(c *gin.Context) error {
	e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	d, err := h.eventData(c, e)
	if err != nil {
		return err
	}
	h.Env.HTML(c, http.StatusOK, "public/event.html", h.Env.NewPage(c, d.Event.TitleText, d))
	return nil
}

func (h *Handler) eventData(c *gin.Context, e store.Event) (eventData, error) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	v := view.NewEventView(e, l, h.Now())
	if v.Open {
		// No published privacy notice yet: registration has not opened.
		if _, err := h.Store.CurrentPrivacyNotice(c.Request.Context(), h.Store.DB, e.ProjectID, l.Lang); errors.Is(err, store.ErrNotFound) {
			v.Open = false
		} else if err != nil {
			return eventData{}, err
		}
	}
	if e.HostPartnerID != nil {
		host, err := h.Store.Partner(c.Request.Context(), h.Store.DB, *e.HostPartnerID)
		if err != nil {
			return eventData{}, err
		}
		v.NameCity(host, l)
	}
	d := eventData{Event: v}
	days, err := h.Store.EventDays(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return d, err
	}
	sessions, err := h.Store.EventSessions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return d, err
	}
	for _, day := range days {
		dv := view.DayView{Value: day.Day.Format("2006-01-02"), Label: l.Date(day.Day), Checked: true}
		if day.StartsAt != nil && day.EndsAt != nil {
			dv.Times = view.ClockText(l, *day.StartsAt) + "–" + view.ClockText(l, *day.EndsAt)
		}
		for _, s := range sessions {
			if s.Day.Equal(day.Day) {
				dv.Sessions = append(dv.Sessions, view.NewSessionView(s, l))
			}
		}
		if day.Capacity != nil {
			left := max(*day.Capacity-day.ConfirmedCount, 0)
			dv.Left, dv.Full = &left, left == 0
		}
		d.Days = append(d.Days, dv)
	}
	loc := e.Location()
	if e.RegistrationOpensAt != nil {
		d.Opens = l.DateTime(e.RegistrationOpensAt.In(loc))
	}
	if e.RegistrationClosesAt != nil {
		d.Closes = l.DateTime(e.RegistrationClosesAt.In(loc))
	}
	place := e.Venue
	if e.Address != "" {
		place += ", " + e.Address
	}
	d.MapURL = "https://www.openstreetmap.org/search?query=" + url.QueryEscape(place+", "+e.City+", "+v.CountryName)
	d.Waiting = v.PlacesLeft != nil && *v.PlacesLeft == 0
	return d, nil
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

type eventForm struct {
	New       bool
	Event     store.Event
	Input     setup.EventInput
	Partners  []store.Partner
	Projects  []store.Project
	Days      []store.EventDay
	States    []string
	Languages []string
	Stats     store.EventStats
	Keys      []store.EventKey // valid ticket signing keys, the signing one first
	Questions []store.Question // the event's own questions, in order
	Copy      setup.CopyInput  // the copy form
}

func (h *Handler) eventForm(c *gin.Context, status int, d eventForm, f *form) error {
	ctx := c.Request.Context()
	var err error
	if d.New {
		if d.Projects, err = h.Store.Projects(ctx, h.Store.DB); err != nil {
			return err
		}
	}
	if d.Input.ProjectID != 0 {
		if d.Partners, err = h.Store.Partners(ctx, h.Store.DB, d.Input.ProjectID); err != nil {
			return err
		}
	}
	if d.Event.ID != 0 {
		if d.Days, err = h.Store.EventDays(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
		stats, err := h.Store.EventStatsAll(ctx, h.Store.DB)
		if err != nil {
			return err
		}
		d.Stats = stats[d.Event.ID]
		if d.Keys, err = h.Store.EventKeys(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
		if d.Questions, err = h.Store.Questions(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
	}
	d.States, d.Languages = setup.RegistrationStates, setup.Languages
	f.Data = d
	h.render(c, status, "event", title(d.New, "admin.event.new_title", "admin.event.edit_title"), f)
	return nil
}

// eventInput reads the event form.
func eventInput(c *gin.Context) setup.EventInput {
	in := setup.EventInput{
		Slug: c.PostForm("slug"), Number: c.PostForm("number"), HostPartnerID: c.PostForm("host_partner"),
		Title: map[string]string{}, Description: map[string]string{}, Venue: c.PostForm("venue"),
		Address: c.PostForm("address"), City: c.PostForm("city"), Country: c.PostForm("country"),
		FirstDay: c.PostForm("first_day"), LastDay: c.PostForm("last_day"), TimeZone: c.PostForm("time_zone"),
		Capacity: c.PostForm("capacity"), RegistrationState: c.PostForm("registration_state"),
		OpensAt: c.PostForm("opens_at"), ClosesAt: c.PostForm("closes_at"),
	}
	for _, lang := range setup.Languages {
		in.Title[lang] = c.PostForm("title_" + lang)
		in.Description[lang] = c.PostForm("description_" + lang)
	}
	return in
}

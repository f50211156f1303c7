package admin

import (
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
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
	// Certificates: the settings (as posted, when shown again), how many
	// were issued, and whether the event is over (sending is offered).
	Cert      *store.CertificateSettings
	CertCount int
	Past      bool
	// ResultsAt is when the results page went public (nil: not public).
	ResultsAt *time.Time
	// EmbedOrigins are the sites allowed to frame the project's results, one a line.
	EmbedOrigins string
	Checklist    []setup.CheckItem
	Questions    []store.Question     // the event's own questions, in order
	Sessions     []store.EventSession // the sessions of its days, by day and time
	Copy         setup.CopyInput      // the copy form
}

func (h *Handler) eventForm(c *gin.Context, status int, d eventForm, f *form) error {
	ctx := c.Request.Context()
	var err error
	if d.New {
		all, err := h.Store.Projects(ctx, h.Store.DB)
		if err != nil {
			return err
		}
		for _, p := range all {
			if httpx.Principal(c).May(auth.Manage, auth.ProjectObject(p.ID), h.Now()) {
				d.Projects = append(d.Projects, p)
			}
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
		if d.Cert == nil {
			cs, err := h.Store.EventCertificateSettings(ctx, h.Store.DB, d.Event.ID)
			if err != nil {
				return err
			}
			d.Cert = &cs
		}
		if d.CertCount, err = h.Store.EventCertificateCount(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
		d.Past = d.Event.Phase(h.Now()) == "past"
		if d.ResultsAt, err = h.Store.ResultsPublishedAt(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
		origins, err := h.Results.EmbedOrigins(ctx, d.Event.ProjectID)
		if err != nil {
			return err
		}
		d.EmbedOrigins = strings.Join(origins, "\n")
		if v, ok := f.Values["embed_origins"]; ok { // as typed, with its error
			d.EmbedOrigins = v
		}
		if d.Checklist, err = h.Manage.Checklist(ctx, h.Store.DB, d.Event); err != nil {
			return err
		}
		if d.Sessions, err = h.Store.EventSessions(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
	}
	d.States, d.Languages = setup.RegistrationStates, append([]string{}, setup.Languages...)
	if d.Input.ProjectID != 0 {
		p, err := h.Store.Project(ctx, h.Store.DB, d.Input.ProjectID)
		if err != nil {
			return err
		}
		for _, l := range setup.Offered(p) {
			if !slices.Contains(d.Languages, l) {
				d.Languages = append(d.Languages, l)
			}
		}
		if d.Questions, err = h.Store.Questions(ctx, h.Store.DB, d.Event.ID); err != nil {
			return err
		}
	}
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
		Capacity: c.PostForm("capacity"), PlannedGrant: c.PostForm("planned_grant"), RegistrationState: c.PostForm("registration_state"),
		OpensAt: c.PostForm("opens_at"), ClosesAt: c.PostForm("closes_at"),
	}
	// The form edits lv, en, ru and the languages the project offers; texts
	// in languages not on the form stay as they are.
	for _, lang := range i18n.Languages {
		if v, ok := c.GetPostForm("title_" + lang); ok {
			in.Title[lang] = v
		}
		if v, ok := c.GetPostForm("description_" + lang); ok {
			in.Description[lang] = v
		}
	}
	return in
}

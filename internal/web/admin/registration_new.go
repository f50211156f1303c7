package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// newRegistrationData is the form of a registration by staff.
type newRegistrationData struct {
	Event     store.Event
	EventText string
	Over      bool // the event is over: a record of history, never e-mailed
	Days      []dayChoice
	Partners  []store.Partner
	Countries []string
	Languages []string
	// Existing is the registration that already has the typed address.
	Existing int64
	// Questions are the event's own questions, after the built-in fields.
	Questions []view.QuestionField
}

// newRegistrationPage shows the form for event e with f's values and errors.
func (h *Handler) newRegistrationPage(c *gin.Context, status int, e store.Event, f *form, days []string, answers map[string][]string) error {
	l := h.l(c)
	d := newRegistrationData{Event: e, EventText: e.Title.In(l.Lang), Over: h.eventOver(e),
		Countries: registration.Countries(), Languages: i18n.Languages}
	if existing, ok := f.Data.(int64); ok {
		d.Existing = existing
	}
	for _, day := range e.Days() {
		v := day.Format(time.DateOnly)
		checked := days == nil
		for _, x := range days {
			checked = checked || x == v
		}
		d.Days = append(d.Days, dayChoice{Value: v, Label: l.Date(day), Checked: checked})
	}
	var err error
	if d.Partners, err = h.Store.Partners(c.Request.Context(), h.Store.DB, e.ProjectID); err != nil {
		return err
	}
	if d.Questions, err = h.questionFields(c, e, answers, f); err != nil {
		return err
	}
	f.Data = d
	c.Header("Cache-Control", "no-store")
	h.render(c, status, "registration_new", "admin.registration_new.title", f)
	return nil
}

// eventOver reports whether e's last day has ended in its time zone.
func (h *Handler) eventOver(e store.Event) bool {
	loc := e.Location()
	end := time.Date(e.LastDay.Year(), e.LastDay.Month(), e.LastDay.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	return !h.Now().Before(end)
}

// RegistrationNew shows the form on which staff register a person on their
// behalf: every day ticked, the ticket e-mailed unless the event is over.
func (h *Handler) RegistrationNew(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	f := newForm(nil)
	f.Values["language"] = httpx.Lang(c)
	if !h.eventOver(e) {
		f.Values["send_ticket"] = "1"
	}
	return h.newRegistrationPage(c, http.StatusOK, e, f, nil, nil)
}

package admin

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type registrationData struct {
	Reg       store.Registration
	Event     store.Event
	EventText string
	Days      []dayChoice
	Partners  []store.Partner
	Countries []string
	Audit     []store.AuditEntry
	PartnerID int64
	HasTicket bool // a live ticket staff may print
	// Questions are the event's own questions with the stored (or posted) answers.
	Questions []view.QuestionField
}

type dayChoice struct {
	Value   string
	Label   string
	Checked bool
}

// registration loads a registration the caller may manage, with its event.
func (h *Handler) registration(c *gin.Context) (store.Registration, store.Event, error) {
	rid, err := httpx.ID(c, "id")
	if err != nil {
		return store.Registration{}, store.Event{}, err
	}
	return h.Env.Objects.Registration(c, auth.Manage, rid)
}

// registrationPage shows r; answers are the posted answers to show again
// (nil: the stored ones).
func (h *Handler) registrationPage(c *gin.Context, status int, r store.Registration, e store.Event, f *form, answers map[string][]string) error {
	ctx := c.Request.Context()
	l := h.l(c)
	d := registrationData{Reg: r, Event: e, EventText: e.Title.In(l.Lang), Countries: registration.Countries()}
	if r.PartnerID != nil {
		d.PartnerID = *r.PartnerID
	}
	days, err := h.Store.RegistrationDays(ctx, h.Store.DB, r.ID)
	if err != nil {
		return err
	}
	for _, day := range e.Days() {
		dc := dayChoice{Value: day.Format(time.DateOnly), Label: l.Date(day)}
		for _, x := range days {
			if x.Equal(day) {
				dc.Checked = true
			}
		}
		d.Days = append(d.Days, dc)
	}
	if d.Partners, err = h.Store.Partners(ctx, h.Store.DB, e.ProjectID); err != nil {
		return err
	}
	if answers == nil {
		qs, err := h.Store.Questions(ctx, h.Store.DB, e.ID)
		if err != nil {
			return err
		}
		as, err := h.Store.AnswersOf(ctx, h.Store.DB, []int64{r.ID})
		if err != nil {
			return err
		}
		answers = view.AnswersByKey(qs, as)
	}
	if d.Questions, err = h.questionFields(c, e, answers, f); err != nil {
		return err
	}
	if r.Status == store.StatusConfirmed && r.AnonymisedAt == nil {
		_, err := h.Store.LiveTicket(ctx, h.Store.DB, r.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d.HasTicket = err == nil
	}
	if d.Audit, err = h.Store.Audit(ctx, h.Store.DB, store.AuditFilter{ObjectType: "registration",
		ObjectID: strconv.FormatInt(r.ID, 10), Limit: 50}); err != nil {
		return err
	}
	f.Data = d
	h.render(c, status, "registration", "admin.registration.title", f)
	return nil
}

// RegistrationShow shows one registration with its history and actions.
func (h *Handler) RegistrationShow(c *gin.Context) error {
	r, e, err := h.registration(c)
	if err != nil {
		return err
	}
	return h.registrationPage(c, http.StatusOK, r, e, newForm(nil).done(c), nil)
}

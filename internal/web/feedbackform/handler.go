// Package feedbackform serves the attendees' feedback form, reached from the
// private registration page and from links in e-mails.
package feedbackform

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/feedback"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// Verifier opens a private link (the registration capability).
type Verifier interface {
	VerifyManageString(ctx context.Context, id, token string) (store.Registration, error)
}

// Handler holds what the form needs.
type Handler struct {
	Env      *httpx.Env
	Store    *store.Store
	Links    Verifier
	Feedback *feedback.Service
	Now      func() time.Time
}

type question struct {
	ID, Kind, Label, Field, Value, Error string
	Scores                               []score
}

type score struct {
	Value   string
	Checked bool
}

type formData struct {
	Event     string
	Base      string
	State     string
	Questions []question
	Errors    []view.FieldError
	Saved     bool
	Editable  string
}

// FeedbackShow shows the form with the person's saved answers.
func (h *Handler) FeedbackShow(c *gin.Context) error {
	return h.show(c, nil, nil)
}

// FeedbackSubmit saves the answers (replacing earlier ones) while the form is open.
func (h *Handler) FeedbackSubmit(c *gin.Context) error {
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	r, e, err := h.load(c)
	if err != nil {
		return err
	}
	in := map[string]string{}
	for k, v := range c.Request.PostForm {
		if len(v) > 0 {
			in[k] = v[0]
		}
	}
	err = h.Feedback.Save(c.Request.Context(), r, e, in, c.ClientIP())
	if _, ok := apperr.AsInvalid(err); ok {
		return h.show(c, in, err)
	}
	if err != nil && !errors.Is(err, feedback.ErrNotAllowed) {
		return err
	}
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path+"?saved=1")
	return nil
}

func (h *Handler) load(c *gin.Context) (store.Registration, store.Event, error) {
	r, err := h.Links.VerifyManageString(c.Request.Context(), c.Param("id"), c.Param("token"))
	if err != nil {
		return r, store.Event{}, err
	}
	e, err := h.Store.Event(c.Request.Context(), h.Store.DB, r.EventID)
	return r, e, err
}

func (h *Handler) show(c *gin.Context, typed map[string]string, ferr error) error {
	r, e, err := h.load(c)
	if err != nil {
		return err
	}
	f, err := h.Feedback.FormFor(c.Request.Context(), r, e)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	d := formData{Event: e.Title.In(lang), Base: "/" + lang + "/r/" + c.Param("id") + "/" + c.Param("token"), State: string(f.State),
		Saved: c.Query("saved") != "" && f.Saved != nil, Editable: l.DateTime(f.ClosesAt.In(e.Location()))}
	inv, _ := apperr.AsInvalid(ferr)
	for _, q := range f.Questions {
		qv := question{ID: q.ID, Kind: q.Kind, Label: q.LabelIn(l, lang), Field: "q_" + q.ID}
		if typed != nil {
			qv.Value = typed[qv.Field]
		} else if v, ok := f.Answers[q.ID]; ok {
			switch x := v.(type) {
			case float64:
				qv.Value = strconv.Itoa(int(x))
			case string:
				qv.Value = x
			}
		}
		if inv != nil && inv.Fields[qv.Field] != "" {
			qv.Error = l.T(inv.Fields[qv.Field])
			d.Errors = append(d.Errors, view.FieldError{Field: qv.Field, ID: "fb-" + q.ID, Label: qv.Label, Message: qv.Error})
		}
		if q.Kind == feedback.Rating {
			for i := 1; i <= 5; i++ {
				s := strconv.Itoa(i)
				qv.Scores = append(qv.Scores, score{Value: s, Checked: qv.Value == s})
			}
		}
		d.Questions = append(d.Questions, qv)
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	h.Env.HTML(c, status, "feedback/form.html", h.Env.NewPage(c, l.T("feedback.title"), d))
	return nil
}

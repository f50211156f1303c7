package feedbackform

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/feedback"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type labelInput struct {
	Code, Name, Value, Error string
}

type questionRow struct {
	N      int
	Kind   string
	Labels []labelInput
	Error  string
}

type settingsData struct {
	Event    store.Event
	Title    string
	ClosesOn string
	Default  string
	Rows     []questionRow
	Errors   map[string]string
	Saved    bool
}

// SettingsShow is the coordinators' screen of an event's feedback form: its
// questions (the defaults when none) and closing day.
func (h *Handler) SettingsShow(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	st, err := h.Feedback.Settings(c.Request.Context(), h.Store.DB, e)
	if err != nil {
		return err
	}
	raw, err := h.Store.EventFeedbackSettings(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	var qs []feedback.Question
	if len(raw.Questions) > 0 {
		qs = st.Questions
	}
	closes := ""
	if raw.ClosesAt != nil {
		closes = raw.ClosesAt.In(e.Location()).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return h.settingsPage(c, e, qs, closes, nil, c.Query("saved") != "")
}

// SettingsSave stores the questions and closing day.
func (h *Handler) SettingsSave(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	var qs []feedback.Question
	for n := 1; n <= feedback.MaxQuestions; n++ {
		kind := c.PostForm("kind_" + strconv.Itoa(n))
		if kind == "" {
			continue
		}
		q := feedback.Question{ID: "q" + strconv.Itoa(n), Kind: kind, Label: map[string]string{}}
		for _, lang := range i18n.Languages {
			if v := strings.TrimSpace(c.PostForm("label_" + strconv.Itoa(n) + "_" + lang)); v != "" {
				q.Label[lang] = v
			}
		}
		qs = append(qs, q)
	}
	closes := c.PostForm("closes_on")
	err = h.Feedback.SaveSettings(c.Request.Context(), httpx.Principal(c), e, qs, closes, c.ClientIP())
	if _, ok := apperr.AsInvalid(err); ok {
		return h.settingsPage(c, e, qs, closes, err, false)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/events/"+e.Slug+"/feedback?saved=1")
	return nil
}

func (h *Handler) settingsPage(c *gin.Context, e store.Event, qs []feedback.Question, closes string, ferr error, saved bool) error {
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	d := settingsData{Event: e, Title: l.T("feedback.settings.title", "event", e.Title.In(lang)), ClosesOn: closes,
		Default: l.DateTime(feedback.DefaultClose(e)), Errors: map[string]string{}, Saved: saved}
	if inv, ok := apperr.AsInvalid(ferr); ok {
		for f, k := range inv.Fields {
			d.Errors[f] = l.T(k)
		}
	}
	byN := map[int]feedback.Question{}
	for _, q := range qs {
		if n, err := strconv.Atoi(strings.TrimPrefix(q.ID, "q")); err == nil {
			byN[n] = q
		}
	}
	for n := 1; n <= feedback.MaxQuestions; n++ {
		q := byN[n]
		row := questionRow{N: n, Kind: q.Kind, Error: d.Errors["kind_"+strconv.Itoa(n)]}
		for _, lang := range i18n.Languages {
			key := "label_" + strconv.Itoa(n) + "_" + lang
			row.Labels = append(row.Labels, labelInput{Code: lang, Name: l.Language(lang), Value: q.Label[lang], Error: d.Errors[key]})
		}
		d.Rows = append(d.Rows, row)
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	h.Env.HTML(c, status, "feedback/settings.html", h.Env.NewPage(c, d.Title, d))
	return nil
}

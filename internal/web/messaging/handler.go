// Package messaging serves the coordinators' message screens (compose,
// preview, send, delivery state) for an event and for a whole project, and
// the participants' opt-out page.
package messaging

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/messages"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// Handler holds what the message screens need.
type Handler struct {
	Env      *httpx.Env
	Store    *store.Store
	Messages *messages.Service
	Now      func() time.Time
}

type option struct {
	Value, Label string
	Selected     bool
}

type langText struct {
	Code, Name          string
	Subject, Body       string
	SubjectErr, BodyErr string
	Open, Required      bool
}

type previewLang struct {
	Name, Count, Subject, Text string
}

type sentRow struct {
	ID         int64
	Date       string
	Segment    string
	Subject    string
	Recipients int
	States     string
}

// composeData is the compose page: the form, the preview once asked, and the
// messages sent before.
type composeData struct {
	Heading      string
	Action       string // base path of the form's posts
	Back         string
	Segments     []option
	Days         []option
	Essential    bool
	Langs        []langText
	Hint         string
	Errors       []view.FieldError
	FieldErrors  map[string]string
	Preview      bool
	PreviewCount string
	PreviewNone  bool
	PreviewLangs []previewLang
	Sent         []sentRow
}

// scope is an event or a whole project.
type scope struct {
	project store.Project
	event   *store.Event
	base    string // /admin/events/SLUG/messages or /admin/projects/ID/messages
	back    string
}

// draft reads the form.
func (h *Handler) draft(c *gin.Context, sc scope) messages.Draft {
	d := messages.Draft{ProjectID: sc.project.ID, Event: sc.event, Segment: c.PostForm("segment"), Day: c.PostForm("day"),
		Essential: c.PostForm("essential") == "1", Subject: map[string]string{}, Body: map[string]string{}}
	for _, lang := range i18n.Languages {
		if s := c.PostForm("subject_" + lang); strings.TrimSpace(s) != "" {
			d.Subject[lang] = s
		}
		if b := c.PostForm("body_" + lang); strings.TrimSpace(b) != "" {
			d.Body[lang] = b
		}
	}
	return d
}

// page renders the compose page for d (nil: an empty form), with a preview
// or the field errors of err.
func (h *Handler) page(c *gin.Context, sc scope, d *messages.Draft, pv *messages.Preview, err error) error {
	ctx := c.Request.Context()
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	fallback, ferr := h.Store.ProjectFallbackLanguage(ctx, h.Store.DB, sc.project.ID)
	if ferr != nil {
		return ferr
	}
	if d == nil {
		d = &messages.Draft{Segment: "confirmed"}
	}
	data := composeData{Action: sc.base, Back: sc.back, Essential: d.Essential, FieldErrors: map[string]string{},
		Hint: l.T("messages.texts.hint", "language", l.Language(fallback), "placeholders", "{first_name}, {event}, {ticket_link}, {manage_link}")}
	if sc.event != nil {
		data.Heading = l.T("messages.title", "event", sc.event.Title.In(httpx.Lang(c)))
	} else {
		data.Heading = l.T("messages.project_title", "project", sc.project.Title.In(httpx.Lang(c)))
	}
	for _, s := range messages.Segments {
		if s == "no_show" && sc.event != nil && sc.event.Phase(h.Now()) != "past" {
			continue
		}
		data.Segments = append(data.Segments, option{s, l.T("messages.segment." + s), d.Segment == s})
	}
	partners, perr := h.Store.Partners(ctx, h.Store.DB, sc.project.ID)
	if perr != nil {
		return perr
	}
	for _, p := range partners {
		v := "partner:" + p.Slug
		data.Segments = append(data.Segments, option{v, l.T("messages.segment.partner", "partner", p.City+" ("+l.PickOr(p.OrganisationTexts, p.Organisation).Marked()+")"), d.Segment == v})
	}
	if sc.event != nil {
		data.Days = append(data.Days, option{"", l.T("messages.day.any"), d.Day == ""})
		for _, day := range sc.event.Days() {
			v := day.Format(time.DateOnly)
			data.Days = append(data.Days, option{v, l.Date(day), d.Day == v})
		}
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		for f, k := range inv.Fields {
			msg := l.T(k)
			data.FieldErrors[f] = msg
			id, label := "m-"+f, l.T("messages."+strings.SplitN(f, "_", 2)[0])
			if i := strings.IndexByte(f, '_'); i > 0 {
				label += " (" + l.Language(f[i+1:]) + ")"
			}
			data.Errors = append(data.Errors, view.FieldError{Field: f, ID: id, Label: label, Message: msg})
		}
		slices.SortFunc(data.Errors, func(a, b view.FieldError) int { return strings.Compare(a.Field, b.Field) })
	} else if err != nil {
		return err
	}
	langs := append([]string{fallback}, slices.DeleteFunc(slices.Clone(i18n.Languages), func(s string) bool { return s == fallback })...)
	for _, lang := range langs {
		lt := langText{Code: lang, Name: l.Language(lang), Subject: d.Subject[lang], Body: d.Body[lang], Required: lang == fallback,
			SubjectErr: data.FieldErrors["subject_"+lang], BodyErr: data.FieldErrors["body_"+lang]}
		lt.Open = lt.Required || lt.Subject != "" || lt.Body != "" || lt.SubjectErr != "" || lt.BodyErr != ""
		data.Langs = append(data.Langs, lt)
	}
	if pv != nil {
		data.Preview = true
		data.PreviewNone = pv.Recipients == 0
		data.PreviewCount = l.N("messages.preview.count", pv.Recipients)
		for _, r := range pv.Languages {
			data.PreviewLangs = append(data.PreviewLangs, previewLang{Name: l.N("messages.preview.language", r.Count, "language", l.Language(r.Language)),
				Subject: r.Subject, Text: r.Text})
		}
	}
	var sent []store.Message
	var serr error
	if sc.event != nil {
		sent, serr = h.Store.EventMessages(ctx, h.Store.DB, sc.event.ID)
	} else {
		sent, serr = h.Store.ProjectMessages(ctx, h.Store.DB, sc.project.ID)
	}
	if serr != nil {
		return serr
	}
	for _, m := range sent[:min(len(sent), 50)] {
		st, err := h.Messages.Status(ctx, m.ID)
		if err != nil {
			return err
		}
		data.Sent = append(data.Sent, sentRow{ID: m.ID, Date: l.DateTime(m.CreatedAt), Segment: segmentLabel(l, m, partners),
			Subject: m.Subject.In(fallback), Recipients: m.Recipients, States: statesLine(l, st.Counts)})
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	h.Env.HTML(c, status, "messages/compose.html", h.Env.NewPage(c, data.Heading, data))
	return nil
}

func segmentLabel(l *i18n.Localizer, m store.Message, partners []store.Partner) string {
	s := l.T("messages.segment." + m.Segment)
	if m.Segment == "partner" && m.PartnerID != nil {
		for _, p := range partners {
			if p.ID == *m.PartnerID {
				s = l.T("messages.segment.partner", "partner", p.City+" ("+l.PickOr(p.OrganisationTexts, p.Organisation).Marked()+")")
			}
		}
	}
	if m.Day != nil {
		s += ", " + l.Date(*m.Day)
	}
	return s
}

// statesLine is "5 sent, 2 retrying" in the page's language.
func statesLine(l *i18n.Localizer, counts map[string]int) string {
	var parts []string
	for _, s := range []string{"sent", "queued", "sending", "retrying", "failed", "unknown"} {
		if n := counts[s]; n > 0 {
			parts = append(parts, l.Number(n)+" "+l.T("messages.state."+s))
		}
	}
	return strings.Join(parts, ", ")
}

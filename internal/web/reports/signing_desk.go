package reports

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type deskPage struct {
	Event      store.Event
	Title      string
	Day        string
	Search     string
	Candidates []store.SigningCandidate
	Person     *store.SigningCandidate
	Signed     bool
	Error      string
}

// deskEvent loads the event and checks the caller may work it today.
func (h *Handler) deskEvent(c *gin.Context) (store.Event, bool) {
	return h.eventFor(c, auth.Work)
}

// SigningDesk lists the people admitted today, newest first, so the person
// who just came in can find their name and sign.
func (h *Handler) SigningDesk(c *gin.Context) {
	e, ok := h.deskEvent(c)
	if !ok {
		return
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	today := report.Today(e, h.Now())
	q := strings.TrimSpace(c.Query("q"))
	if len([]rune(q)) > 80 {
		q = string([]rune(q)[:80])
	}
	cs, err := h.Store.SigningCandidates(c.Request.Context(), h.Store.DB, e.ID, today, q, 0, 30)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	p := deskPage{Event: e, Title: e.Title.In(l.Lang), Day: l.Date(today), Search: q, Candidates: cs,
		Signed: c.Query("signed") == "1"}
	page := h.Env.NewPage(c, l.T("report.desk.title"), p)
	page.BodyClass = "signing-desk"
	h.Env.HTML(c, http.StatusOK, "reports/desk.html", page)
}

// SigningPad shows the drawing pad for one admitted person.
func (h *Handler) SigningPad(c *gin.Context) {
	e, ok := h.deskEvent(c)
	if !ok {
		return
	}
	h.pad(c, e, http.StatusOK, "")
}

func (h *Handler) pad(c *gin.Context, e store.Event, status int, errKey string) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	today := report.Today(e, h.Now())
	regID := paramInt(c, "reg")
	cs, err := h.Store.SigningCandidates(c.Request.Context(), h.Store.DB, e.ID, today, "", regID, 1)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if regID == 0 || len(cs) == 0 {
		h.Env.Fail(c, apperr.ErrNotFound)
		return
	}
	p := deskPage{Event: e, Title: e.Title.In(l.Lang), Day: l.Date(today), Person: &cs[0]}
	if errKey != "" {
		p.Error = l.T(errKey)
	}
	page := h.Env.NewPage(c, l.T("report.desk.sign_title"), p)
	page.BodyClass = "signing-desk"
	h.Env.HTML(c, status, "reports/pad.html", page)
}

// SigningSave stores the drawn signature (a PNG data URL from the pad).
func (h *Handler) SigningSave(c *gin.Context) {
	e, ok := h.deskEvent(c)
	if !ok {
		return
	}
	png, ok := decodeDataURL(c.PostForm("signature"))
	if !ok {
		h.pad(c, e, http.StatusUnprocessableEntity, "report.error.signature")
		return
	}
	_, err := h.Reports.SaveSignature(c.Request.Context(), report.SignatureInput{Event: e, RegistrationID: paramInt(c, "reg"),
		Day: report.Today(e, h.Now()), PNG: png, By: httpx.Principal(c), IP: c.ClientIP()})
	switch {
	case err == nil:
	case errorsIsConflict(err):
		h.pad(c, e, http.StatusConflict, "report.error.already_signed")
		return
	default:
		if _, ok := apperr.AsInvalid(err); ok {
			h.pad(c, e, http.StatusUnprocessableEntity, "report.error.signature")
			return
		}
		h.Env.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/door/sign/"+e.Slug+"?signed=1")
}

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
func (h *Handler) deskEvent(c *gin.Context) (store.Event, error) {
	return h.Env.Objects.Event(c, auth.Work, c.Param("slug"))
}

// deskPerson loads the desk's event and reads the registration number of the
// person signing (/door/sign/:slug/:reg).
func (h *Handler) deskPerson(c *gin.Context) (store.Event, int64, error) {
	e, err := h.deskEvent(c)
	if err != nil {
		return e, 0, err
	}
	regID, err := httpx.ID(c, "reg")
	return e, regID, err
}

// SigningDesk lists the people admitted today, newest first, so the person
// who just came in can find their name and sign.
func (h *Handler) SigningDesk(c *gin.Context) error {
	e, err := h.deskEvent(c)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	today := report.Today(e, h.Now())
	q := strings.TrimSpace(c.Query("q"))
	if len([]rune(q)) > 80 {
		q = string([]rune(q)[:80])
	}
	cs, err := h.Store.SigningCandidates(c.Request.Context(), h.Store.DB, e.ID, today, q, 0, 30)
	if err != nil {
		return err
	}
	p := deskPage{Event: e, Title: e.Title.In(l.Lang), Day: l.Date(today), Search: q, Candidates: cs,
		Signed: c.Query("signed") == "1"}
	page := h.Env.NewPage(c, l.T("report.desk.title"), p)
	page.BodyClass = "signing-desk"
	h.Env.HTML(c, http.StatusOK, "reports/desk.html", page)
	return nil
}

// SigningPad shows the drawing pad for one admitted person.
func (h *Handler) SigningPad(c *gin.Context) error {
	e, regID, err := h.deskPerson(c)
	if err != nil {
		return err
	}
	return h.pad(c, e, regID, http.StatusOK, "")
}

func (h *Handler) pad(c *gin.Context, e store.Event, regID int64, status int, errKey string) error {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	today := report.Today(e, h.Now())
	cs, err := h.Store.SigningCandidates(c.Request.Context(), h.Store.DB, e.ID, today, "", regID, 1)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return apperr.ErrNotFound
	}
	p := deskPage{Event: e, Title: e.Title.In(l.Lang), Day: l.Date(today), Person: &cs[0]}
	if errKey != "" {
		p.Error = l.T(errKey)
	}
	page := h.Env.NewPage(c, l.T("report.desk.sign_title"), p)
	page.BodyClass = "signing-desk"
	h.Env.HTML(c, status, "reports/pad.html", page)
	return nil
}

// SigningSave stores the drawn signature (a PNG data URL from the pad).
func (h *Handler) SigningSave(c *gin.Context) error {
	e, regID, err := h.deskPerson(c)
	if err != nil {
		return err
	}
	png, ok := decodeDataURL(c.PostForm("signature"))
	if !ok {
		return h.pad(c, e, regID, http.StatusUnprocessableEntity, "report.error.signature")
	}
	_, err = h.Reports.SaveSignature(c.Request.Context(), report.SignatureInput{Event: e, RegistrationID: regID,
		Day: report.Today(e, h.Now()), PNG: png, By: httpx.Principal(c), IP: c.ClientIP()})
	if errorsIsConflict(err) {
		return h.pad(c, e, regID, http.StatusConflict, "report.error.already_signed")
	}
	if _, ok := apperr.AsInvalid(err); ok {
		return h.pad(c, e, regID, http.StatusUnprocessableEntity, "report.error.signature")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/door/sign/"+e.Slug+"?signed=1")
	return nil
}

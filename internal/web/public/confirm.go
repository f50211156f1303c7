package public

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type confirmData struct {
	Event      view.EventView
	Status     string // pending | confirmed | waitlisted | expired | resent | cancelled
	ManagePath string
	Position   int
	Action     string // where the page's button posts
}

// Confirm shows the page the link of the confirmation e-mail opens. It changes
// nothing: mail security scanners follow links in messages, and a GET that
// confirmed would register people who never answered. A pending registration
// gets a button that posts the confirmation (ConfirmSubmit); any other shows
// where it stands, as before.
func (h *Handler) Confirm(c *gin.Context) error {
	lang := httpx.Lang(c)
	token := c.Param("token")
	r, err := h.Reg.Confirmation(c.Request.Context(), token)
	d := confirmData{Status: string(r.Status), Action: confirmPath(lang, token)}
	switch {
	case errors.Is(err, registration.ErrExpired):
		d.Status, d.Action = "expired", d.Action+"/resend"
	case err != nil:
		return err
	case r.Status == store.StatusPending:
		d.Status = "pending"
	}
	if err := h.confirmPage(c, r, &d); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	h.renderConfirm(c, d)
	return nil
}

// confirmPath is the page a confirmation link opens.
func confirmPath(lang, token string) string {
	return "/" + lang + "/confirm/" + url.PathEscape(token)
}

// ConfirmResend sends a new confirmation link for an expired one.
func (h *Handler) ConfirmResend(c *gin.Context) error {
	token := c.Param("token")
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.ResendPerIP, clientKey(c)); err != nil {
		return err
	}
	if err := h.Reg.ResendConfirmation(c.Request.Context(), token); err != nil {
		return err
	}
	d := confirmData{Status: "resent"}
	h.renderConfirm(c, d)
	return nil
}

func (h *Handler) confirmPage(c *gin.Context, r store.Registration, d *confirmData) error {
	lang := httpx.Lang(c)
	e, err := h.Store.Event(c.Request.Context(), h.Store.DB, r.EventID)
	if err != nil {
		return err
	}
	d.Event = view.NewEventView(e, h.Env.I18n.Localizer(lang), h.Now())
	if d.Status == "expired" || d.Status == "pending" {
		return nil
	}
	if d.ManagePath, err = h.Reg.ManagePath(c.Request.Context(), h.Store.DB, r, lang); err != nil {
		return err
	}
	d.Position, err = h.Store.WaitlistPosition(c.Request.Context(), h.Store.DB, r)
	return err
}

func (h *Handler) renderConfirm(c *gin.Context, d confirmData) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, http.StatusOK, "public/confirm.html", h.Env.NewPage(c, l.T("confirm."+d.Status+".title"), d))
}

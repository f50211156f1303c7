package public

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type confirmData struct {
	Event      view.EventView
	Status     string // confirmed | waitlisted | expired | resent
	ManagePath string
	Position   int
	Action     string
}

// Confirm opens the link of the confirmation e-mail. A GET confirms: the link
// is single-purpose and idempotent (opening it again shows the same result),
// and one click is what people expect from such a link. Mail scanners that
// pre-fetch links can only confirm an address that did receive the message.
func (h *Handler) Confirm(c *gin.Context) {
	lang := httpx.Lang(c)
	token := c.Param("token")
	r, err := h.Reg.Confirm(c.Request.Context(), token)
	d := confirmData{Status: r.Status, Action: "/" + lang + "/confirm/" + token}
	switch {
	case errors.Is(err, registration.ErrExpired):
		d.Status = "expired"
	case err != nil:
		h.Env.Fail(c, err)
		return
	}
	if err := h.confirmPage(c, r, &d); err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	h.renderConfirm(c, d)
}

// ConfirmResend sends a new confirmation link for an expired one.
func (h *Handler) ConfirmResend(c *gin.Context) {
	token := c.Param("token")
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.ResendPerIP, clientKey(c)); err != nil {
		h.Env.Fail(c, err)
		return
	}
	if err := h.Reg.ResendConfirmation(c.Request.Context(), token); err != nil {
		h.Env.Fail(c, err)
		return
	}
	d := confirmData{Status: "resent"}
	h.renderConfirm(c, d)
}

func (h *Handler) confirmPage(c *gin.Context, r store.Registration, d *confirmData) error {
	lang := httpx.Lang(c)
	e, err := h.Store.Event(c.Request.Context(), h.Store.DB, r.EventID)
	if err != nil {
		return err
	}
	d.Event = view.NewEventView(e, h.Env.I18n.Localizer(lang), h.Now())
	if d.Status == "expired" {
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

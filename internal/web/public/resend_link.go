package public

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type resendData struct {
	Events    []view.EventView
	Event     string // chosen slug
	Email     string
	Errors    map[string]string
	ErrorList []view.FieldError
	Sent      bool
}

// ResendForm asks for the address to send the private link to.
func (h *Handler) ResendForm(c *gin.Context) error {
	d, err := h.resendData(c)
	if err != nil {
		return err
	}
	d.Event = c.Query("event")
	d.Sent = c.Query("sent") != ""
	h.renderResend(c, http.StatusOK, d)
	return nil
}

// ResendSubmit sends the link if the address is registered for the event. The
// answer is the same either way: it must not reveal who is registered.
func (h *Handler) ResendSubmit(c *gin.Context) error {
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	slug := c.PostForm("event")
	email := strings.TrimSpace(c.PostForm("email"))
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.ResendPerIP, clientKey(c)); err != nil {
		return err
	}
	if email != "" {
		if err := h.Limits.Allow(c.Request.Context(), ratelimit.ResendPerEmail, email); err != nil {
			return err
		}
	}
	err := h.Reg.ResendLink(c.Request.Context(), slug, email)
	if inv, bad := apperr.AsInvalid(err); bad && len(inv.Fields) > 0 {
		d, derr := h.resendData(c)
		if derr != nil {
			return derr
		}
		l := h.Env.I18n.Localizer(httpx.Lang(c))
		d.Event, d.Email = slug, email
		msg := l.T(inv.Fields["email"])
		d.Errors["email"] = msg
		d.ErrorList = []view.FieldError{{Field: "email", ID: "r-email", Label: l.T("reg.field.email"), Message: msg}}
		h.renderResend(c, http.StatusUnprocessableEntity, d)
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/"+httpx.Lang(c)+"/resend-link?sent=1&event="+url.QueryEscape(slug))
	return nil
}

func (h *Handler) resendData(c *gin.Context) (resendData, error) {
	events, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return resendData{}, err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := resendData{Errors: map[string]string{}}
	for _, e := range events {
		v := view.NewEventView(e, l, h.Now())
		if v.Status != "past" {
			d.Events = append(d.Events, v)
		}
	}
	return d, nil
}

func (h *Handler) renderResend(c *gin.Context, status int, d resendData) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, status, "public/resend.html", h.Env.NewPage(c, l.T("resend.title"), d))
}

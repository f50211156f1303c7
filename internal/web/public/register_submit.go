package public

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegisterSubmit validates and records a registration, then sends the
// visitor to "check your e-mail" (the same page whether the address was new
// or known). Invalid input re-renders the form with what was typed and a
// message next to each field.
func (h *Handler) RegisterSubmit(c *gin.Context) {
	e, ok := h.loadEvent(c)
	if !ok || !h.parseForm(c) {
		return
	}
	lang := httpx.Lang(c)
	in := formInput(c)
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerIP, clientKey(c)); err != nil {
		h.Env.Fail(c, err)
		return
	}
	if in.Email != "" {
		if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerEmail, in.Email); err != nil {
			h.Env.Fail(c, err)
			return
		}
	}
	_, err := h.Reg.Register(c.Request.Context(), e.Slug, in, lang)
	var inv *apperr.Invalid
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/"+lang+"/events/"+e.Slug+"/registered")
	case errors.Is(err, apperr.ErrClosed):
		// Closed while the form was open: the form page says so.
		h.RegisterForm(c)
	case errors.As(err, &inv) && len(inv.Fields) > 0:
		d, ferr := h.newForm(c, e, lang)
		if ferr != nil {
			h.Env.Fail(c, ferr)
			return
		}
		l := h.Env.I18n.Localizer(lang)
		d.Action = "/" + lang + "/events/" + e.Slug + "/register"
		d.Cancel = "/" + lang + "/events/" + e.Slug
		d.fill(c, l, err)
		title := l.N("reg.errors_title", len(d.ErrorList)) + " · " + l.T("reg.title", "event", d.Event.TitleText)
		h.Env.HTML(c, http.StatusUnprocessableEntity, "public/register.html", h.Env.NewPage(c, title, d))
	default:
		h.Env.Fail(c, err)
	}
}

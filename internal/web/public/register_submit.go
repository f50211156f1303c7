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
func (h *Handler) RegisterSubmit(c *gin.Context) error {
	e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	lang := httpx.Lang(c)
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	in := formInput(c, qs)
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerIP, clientKey(c)); err != nil {
		return err
	}
	if in.Email != "" {
		if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerEmail, in.Email); err != nil {
			return err
		}
	}
	_, err = h.Reg.Register(c.Request.Context(), e.Slug, in, lang)
	var inv *apperr.Invalid
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/"+lang+"/events/"+e.Slug+"/registered")
		return nil
	case errors.Is(err, apperr.ErrClosed):
		// Closed while the form was open: the form page says so.
		return h.RegisterForm(c)
	case errors.As(err, &inv) && len(inv.Fields) > 0:
		d, ferr := h.registerForm(c, e, lang)
		if ferr != nil {
			return ferr
		}
		l := h.Env.I18n.Localizer(lang)
		d.fill(c, l, err)
		title := l.N("reg.errors_title", len(d.ErrorList)) + " · " + l.T("reg.title", "event", d.Event.TitleText)
		h.Env.HTML(c, http.StatusUnprocessableEntity, "public/register.html", h.Env.NewPage(c, title, d))
		return nil
	}
	return err
}

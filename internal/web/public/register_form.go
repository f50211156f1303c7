package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegisterForm shows the registration form, every day ticked.
func (h *Handler) RegisterForm(c *gin.Context) error {
	e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	d, err := h.registerForm(c, e, lang)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(lang)
	status := http.StatusOK
	if !d.Event.Open {
		status = http.StatusConflict
	}
	h.Env.HTML(c, status, "public/register.html", h.Env.NewPage(c, l.T("reg.title", "event", d.Event.TitleText), d))
	return nil
}

// registerForm prepares the form of a new registration for event e.
func (h *Handler) registerForm(c *gin.Context, e store.Event, lang string) (formData, error) {
	d, err := h.newForm(c, e, lang)
	if err != nil {
		return d, err
	}
	d.Action = "/" + lang + "/events/" + e.Slug + "/register"
	d.Cancel = "/" + lang + "/events/" + e.Slug
	return d, nil
}

package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegisterForm shows the registration form, every day ticked.
func (h *Handler) RegisterForm(c *gin.Context) {
	e, ok := h.loadEvent(c)
	if !ok {
		return
	}
	lang := httpx.Lang(c)
	d, err := h.newForm(c, e, lang)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	d.Action = "/" + lang + "/events/" + e.Slug + "/register"
	d.Cancel = "/" + lang + "/events/" + e.Slug
	l := h.Env.I18n.Localizer(lang)
	status := http.StatusOK
	if !d.Event.Open {
		status = http.StatusConflict
	}
	h.Env.HTML(c, status, "public/register.html", h.Env.NewPage(c, l.T("reg.title", "event", d.Event.TitleText), d))
}

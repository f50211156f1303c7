package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// Registered asks the visitor to open the link in the e-mail just sent. It
// says the same whatever happened, so it reveals nothing about the address.
func (h *Handler) Registered(c *gin.Context) error {
	e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	v := view.NewEventView(e, l, h.Now())
	h.Env.HTML(c, http.StatusOK, "public/registered.html", h.Env.NewPage(c, l.T("registered.title"), v))
	return nil
}

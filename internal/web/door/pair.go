package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// Pair serves /door/pair: the page a pairing link opens. The device token is
// in the URL fragment, which never reaches the server; the page's script
// stores it on the phone and opens the scanner.
func (h *Handler) Pair(c *gin.Context) error {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	page := h.Env.NewPage(c, l.T("door.pair.title"), map[string]string{"Messages": messages(l)})
	page.BodyClass = "door"
	c.Header("Referrer-Policy", "no-referrer")
	h.Env.HTML(c, http.StatusOK, "door/pair.html", page)
	return nil
}

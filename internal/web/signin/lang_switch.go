package signin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// LangSwitch serves the language links of staff pages (/lv/admin/users): the
// language middleware has stored the choice, and the page lives without prefix.
func (h *Handler) LangSwitch(c *gin.Context) error {
	target := strings.TrimPrefix(c.Request.URL.Path, "/"+c.Param("lang"))
	if httpx.SafePath(target) == "" {
		target = "/"
	} else if q := c.Request.URL.RawQuery; q != "" && httpx.SafePath(target+"?"+q) != "" {
		target += "?" + q
	}
	c.Redirect(http.StatusSeeOther, target)
	return nil
}

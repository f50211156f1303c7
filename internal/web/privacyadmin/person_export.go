package privacyadmin

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// PersonExport answers an access request: everything held about the person
// with this address, as a JSON download or a readable page. POST keeps the
// address out of URLs and access logs; the export is audited.
func (h *Handler) PersonExport(c *gin.Context) error {
	format := "html"
	if c.PostForm("format") == "json" {
		format = "json"
	}
	email := c.PostForm("email")
	x, err := h.Privacy.ExportPerson(c.Request.Context(), privacy.ExportRequest{Email: email, Format: format, Channel: "admin",
		Lang: httpx.Lang(c)}, h.actor(c))
	if err != nil {
		return h.formError(c, err, email)
	}
	if format == "json" {
		httpx.SendJSONFile(c, x, fmt.Sprintf("personal-data-%s.json", x.GeneratedAt.Format("20060102-150405")))
		return nil
	}
	h.render(c, http.StatusOK, "privacy/export.html", "privacy.mydata.title", view.ExportPage{Export: x, Staff: true})
	return nil
}

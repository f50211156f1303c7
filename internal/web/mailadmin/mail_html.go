package mailadmin

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// htmlCSP lets the message's own inline styles and inline images (as data:
// URIs) show, runs nothing, loads nothing remote, and allows framing only by
// our own message page.
const htmlCSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

// MailHTML serves a message's HTML version for the frame on the message page,
// with its cid: images inlined.
func (h *Handler) MailHTML(c *gin.Context) error {
	m, err := h.message(c)
	if err != nil {
		return err
	}
	atts, err := h.Store.OutboxAttachments(c.Request.Context(), h.Store.DB, m.ID)
	if err != nil {
		return err
	}
	body := m.HTMLBody
	for _, a := range atts {
		if a.ContentID == "" || !strings.HasPrefix(a.ContentType, "image/") {
			continue
		}
		uri := "data:" + a.ContentType + ";base64," + base64.StdEncoding.EncodeToString(a.Content)
		body = strings.ReplaceAll(body, "cid:"+a.ContentID, uri)
	}
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", htmlCSP)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(body))
	return nil
}

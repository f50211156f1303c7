package mailadmin

import (
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// MailAttachment downloads an attachment of a message (a PDF ticket holds a
// person's name, so the download is audited).
func (h *Handler) MailAttachment(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	aid, err := httpx.ID(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.Store.OutboxAttachment(c.Request.Context(), h.Store.DB, id, aid)
	if err != nil {
		return err
	}
	err = audit.Log(c.Request.Context(), h.Store, h.Store.DB, audit.Entry{
		Actor: httpx.Principal(c), Action: "export.mail_attachment", ObjectType: "outbox", ObjectID: id, IP: c.ClientIP(),
		Details: map[string]any{"attachment_id": aid, "content_type": a.ContentType},
	})
	if err != nil {
		return err
	}
	ct := a.ContentType
	if mt, _, err := mime.ParseMediaType(ct); err != nil || strings.HasPrefix(mt, "text/html") {
		ct = "application/octet-stream" // never render stored HTML in our origin
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	c.Data(http.StatusOK, ct, a.Content)
	return nil
}

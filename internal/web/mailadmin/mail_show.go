package mailadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

type mailShowData struct {
	Msg         store.OutboxMessage
	Attachments []store.OutboxAttachment
}

// MailShow shows one message: its headers, the HTML version in a sandboxed
// frame, the plain text and the attachments.
func (h *Handler) MailShow(c *gin.Context) error {
	m, err := h.message(c)
	if err != nil {
		return err
	}
	atts, err := h.Store.OutboxAttachmentList(c.Request.Context(), h.Store.DB, m.ID)
	if err != nil {
		return err
	}
	page := h.Env.NewPage(c, "", mailShowData{Msg: m, Attachments: atts})
	page.Title = page.L.T("mailadmin.msg.title", "id", m.ID)
	h.Env.HTML(c, http.StatusOK, "mailadmin/mail_show.html", page)
	return nil
}

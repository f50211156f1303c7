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
func (h *Handler) MailShow(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	m, err := h.Store.Outbox(c.Request.Context(), h.Store.DB, id)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	atts, err := h.Store.OutboxAttachmentList(c.Request.Context(), h.Store.DB, id)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	page := h.Env.NewPage(c, "", mailShowData{Msg: m, Attachments: atts})
	page.Title = page.L.T("mailadmin.msg.title", "id", m.ID)
	h.Env.HTML(c, http.StatusOK, "mailadmin/mail_show.html", page)
}

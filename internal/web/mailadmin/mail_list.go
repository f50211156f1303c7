package mailadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

type mailListData struct {
	Keep     bool
	Messages []store.OutboxMessage
	Older    int64
}

// MailList is the development mail page: the messages kept instead of sent.
func (h *Handler) MailList(c *gin.Context) error {
	ms, err := h.Store.OutboxList(c.Request.Context(), h.Store.DB, store.OutboxFilter{Via: "kept", Limit: pageSize, BeforeID: beforeParam(c)})
	if err != nil {
		return err
	}
	page := h.Env.NewPage(c, "", mailListData{Keep: h.Keep, Messages: ms, Older: olderLink(ms)})
	page.Title = page.L.T("mailadmin.dev.title")
	h.Env.HTML(c, http.StatusOK, "mailadmin/mail_list.html", page)
	return nil
}

package messaging

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventMessageSend queues the message for the segment and shows its state.
func (h *Handler) EventMessageSend(c *gin.Context) error {
	sc, err := h.eventScope(c)
	if err != nil {
		return err
	}
	return h.send(c, sc)
}

func (h *Handler) send(c *gin.Context, sc scope) error {
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	d := h.draft(c, sc)
	m, err := h.Messages.Send(c.Request.Context(), httpx.Principal(c), d, c.ClientIP())
	if err != nil {
		return h.page(c, sc, &d, nil, err)
	}
	c.Redirect(http.StatusSeeOther, "/admin/messages/"+strconv.FormatInt(m.ID, 10)+"?sent=1")
	return nil
}

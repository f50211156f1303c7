package messaging

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventMessagePreview counts the recipients and renders one message per
// language, storing nothing; the page then offers to send.
func (h *Handler) EventMessagePreview(c *gin.Context) error {
	sc, err := h.eventScope(c)
	if err != nil {
		return err
	}
	return h.preview(c, sc)
}

func (h *Handler) preview(c *gin.Context, sc scope) error {
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	d := h.draft(c, sc)
	pv, err := h.Messages.Preview(c.Request.Context(), d)
	if err != nil {
		return h.page(c, sc, &d, nil, err)
	}
	return h.page(c, sc, &d, &pv, nil)
}

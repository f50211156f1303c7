package messaging

import "github.com/gin-gonic/gin"

// EventMessages shows the compose form and the messages sent to the event's people.
func (h *Handler) EventMessages(c *gin.Context) error {
	sc, err := h.eventScope(c)
	if err != nil {
		return err
	}
	return h.page(c, sc, nil, nil, nil)
}

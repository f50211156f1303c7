package messaging

import "github.com/gin-gonic/gin"

// ProjectMessageSend queues a project-wide message.
func (h *Handler) ProjectMessageSend(c *gin.Context) error {
	sc, err := h.projectScope(c)
	if err != nil {
		return err
	}
	return h.send(c, sc)
}

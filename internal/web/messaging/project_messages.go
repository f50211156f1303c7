package messaging

import "github.com/gin-gonic/gin"

// ProjectMessages shows the compose form for a message to every event of a
// project, and the project-wide messages sent.
func (h *Handler) ProjectMessages(c *gin.Context) error {
	sc, err := h.projectScope(c)
	if err != nil {
		return err
	}
	return h.page(c, sc, nil, nil, nil)
}

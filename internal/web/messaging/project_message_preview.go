package messaging

import "github.com/gin-gonic/gin"

// ProjectMessagePreview previews a project-wide message.
func (h *Handler) ProjectMessagePreview(c *gin.Context) error {
	sc, err := h.projectScope(c)
	if err != nil {
		return err
	}
	return h.preview(c, sc)
}

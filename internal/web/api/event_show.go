package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// EventShow answers GET /api/v1/events/{slug}: the event as staff manage it.
func (h *ProgrammeAPI) EventShow(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	out, err := h.event(c.Request.Context(), e)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// ProjectShow answers GET /api/v1/projects/{code}.
func (h *ProgrammeAPI) ProjectShow(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	out, err := h.project(c.Request.Context(), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

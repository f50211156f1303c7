package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// ProjectEventsList answers GET /api/v1/projects/{code}/events, by number.
func (h *ProgrammeAPI) ProjectEventsList(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	es, err := h.Store.ProjectEvents(ctx, h.Store.DB, p.ID)
	if err != nil {
		return err
	}
	out, err := h.events(ctx, p, es)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

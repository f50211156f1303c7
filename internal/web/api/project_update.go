package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectUpdate answers PATCH /api/v1/projects/{code}: the fields the body
// names change, the others stay; 200 with the project.
func (h *ProgrammeAPI) ProjectUpdate(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var b projectBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.ProjectInputOf(p)
	b.apply(&in)
	ctx := c.Request.Context()
	if err := h.Setup.UpdateProject(ctx, httpx.Principal(c), p.ID, in, c.ClientIP()); err != nil {
		return jsonFields(err)
	}
	if p, err = h.Store.Project(ctx, h.Store.DB, p.ID); err != nil {
		return err
	}
	out, err := h.project(ctx, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

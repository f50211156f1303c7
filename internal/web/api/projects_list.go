package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectsList answers GET /api/v1/projects: the projects the caller may
// manage (a coordinator of one project sees that one).
func (h *ProgrammeAPI) ProjectsList(c *gin.Context) error {
	ctx := c.Request.Context()
	ps, err := h.Store.Projects(ctx, h.Store.DB)
	if err != nil {
		return err
	}
	p, now := httpx.Principal(c), h.Now()
	out := []ProgrammeProject{}
	for _, pr := range ps {
		if !p.May(auth.Manage, auth.ProjectObject(pr.ID), now) {
			continue
		}
		j, err := h.project(ctx, pr)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

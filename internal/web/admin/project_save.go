package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectSave saves a project.
func (h *Handler) ProjectSave(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	in := projectInput(c)
	err = h.Manage.UpdateProject(c.Request.Context(), httpx.Principal(c), p.ID, in, c.ClientIP())
	return finish(c, err, "/admin/projects/"+strconv.FormatInt(p.ID, 10)+"?done=saved", func(f *form) error {
		return h.projectForm(c, http.StatusUnprocessableEntity, projectForm{Project: p, Input: in}, f)
	})
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectCreate adds a project.
func (h *Handler) ProjectCreate(c *gin.Context) error {
	in := projectInput(c)
	p, err := h.Manage.CreateProject(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	return finish(c, err, "/admin/projects/"+strconv.FormatInt(p.ID, 10)+"?done=created", func(f *form) error {
		return h.projectForm(c, http.StatusUnprocessableEntity, projectForm{New: true, Input: in}, f)
	})
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectCreate adds a project.
func (h *Handler) ProjectCreate(c *gin.Context) {
	in := projectInput(c)
	p, err := h.Manage.CreateProject(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.projectForm(c, http.StatusUnprocessableEntity, projectForm{New: true, Input: in}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/projects/"+strconv.FormatInt(p.ID, 10)+"?done=created")
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectSave saves a project.
func (h *Handler) ProjectSave(c *gin.Context) {
	pid, err := id(c, "id")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	p, err := h.Store.Project(c.Request.Context(), h.Store.DB, pid)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	in := projectInput(c)
	err = h.Manage.UpdateProject(c.Request.Context(), httpx.Principal(c), pid, in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.projectForm(c, http.StatusUnprocessableEntity, projectForm{Project: p, Input: in}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/projects/"+strconv.FormatInt(pid, 10)+"?done=saved")
}

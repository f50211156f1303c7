package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/manage"
)

// ProjectEdit shows a project's form and its partners.
func (h *Handler) ProjectEdit(c *gin.Context) {
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
	h.projectForm(c, http.StatusOK, projectForm{Project: p, Input: manage.ProjectInputOf(p)}, newForm(nil).done(c))
}

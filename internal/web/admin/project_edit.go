package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// ProjectEdit shows a project's form and its partners.
func (h *Handler) ProjectEdit(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	return h.projectForm(c, http.StatusOK, projectForm{Project: p, Input: setup.ProjectInputOf(p)}, newForm(nil).done(c))
}

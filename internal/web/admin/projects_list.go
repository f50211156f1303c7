package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ProjectsList lists the projects.
func (h *Handler) ProjectsList(c *gin.Context) error {
	ps, err := h.Store.Projects(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "projects", "admin.projects.title", newForm(ps).done(c))
	return nil
}

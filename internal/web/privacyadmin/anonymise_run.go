package privacyadmin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// AnonymiseRun anonymises a project once its code has been typed to confirm.
func (h *Handler) AnonymiseRun(c *gin.Context) error {
	if _, err := h.project(c); err != nil {
		return err
	}
	code := c.Param("code")
	if strings.TrimSpace(c.PostForm("confirm")) != code {
		return h.anonymisePage(c, http.StatusUnprocessableEntity, "privacy.error.confirm_code")
	}
	if _, err := h.Privacy.AnonymiseProject(c.Request.Context(), code, h.actor(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy?done=anonymised")
	return nil
}

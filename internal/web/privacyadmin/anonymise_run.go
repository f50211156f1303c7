package privacyadmin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// AnonymiseRun anonymises a project once its code has been typed to confirm.
func (h *Handler) AnonymiseRun(c *gin.Context) {
	code := c.Param("code")
	if strings.TrimSpace(c.PostForm("confirm")) != code {
		p, err := h.Privacy.PreviewProject(c.Request.Context(), code)
		if err != nil {
			h.Env.Fail(c, err)
			return
		}
		h.render(c, http.StatusUnprocessableEntity, "privacy/anonymise.html", "privacy.anonymise.title",
			anonymiseData{ProjectPreview: p, Error: "privacy.error.confirm_code"})
		return
	}
	if _, err := h.Privacy.AnonymiseProject(c.Request.Context(), code, h.actor(c)); err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy?done=anonymised")
}

package privacyadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/privacy"
)

type anonymiseData struct {
	privacy.ProjectPreview
	Error string
}

// AnonymiseConfirm shows what anonymising a project would do and asks to type its code.
func (h *Handler) AnonymiseConfirm(c *gin.Context) {
	p, err := h.Privacy.PreviewProject(c.Request.Context(), c.Param("code"))
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "privacy/anonymise.html", "privacy.anonymise.title", anonymiseData{ProjectPreview: p})
}

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
func (h *Handler) AnonymiseConfirm(c *gin.Context) error {
	if _, err := h.project(c); err != nil {
		return err
	}
	return h.anonymisePage(c, http.StatusOK, "")
}

// anonymisePage shows the preview of anonymising the path's project, with an
// error message key or none.
func (h *Handler) anonymisePage(c *gin.Context, status int, errKey string) error {
	p, err := h.Privacy.PreviewProject(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	h.render(c, status, "privacy/anonymise.html", "privacy.anonymise.title", anonymiseData{ProjectPreview: p, Error: errKey})
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// ProjectNew shows an empty project form.
func (h *Handler) ProjectNew(c *gin.Context) error {
	in := setup.ProjectInput{Title: map[string]string{}, Measure: map[string]string{}, RetentionYears: "5"}
	return h.projectForm(c, http.StatusOK, projectForm{New: true, Input: in}, newForm(nil))
}

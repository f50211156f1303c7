package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectTranslationsSave saves a project's texts and its partners' names in
// every language at once.
func (h *Handler) ProjectTranslationsSave(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	fields, err := h.projectTransFields(c, p)
	if err != nil {
		return err
	}
	in := textsInput(c, fields)
	err = h.Manage.SaveProjectTexts(c.Request.Context(), httpx.Principal(c), p.ID, in, c.ClientIP())
	to := "/admin/projects/" + strconv.FormatInt(p.ID, 10) + "/translations?done=saved"
	return finish(c, err, to, func(f *form) error {
		return h.projectTranslations(c, http.StatusUnprocessableEntity, p, in, f)
	})
}

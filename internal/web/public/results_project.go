package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectResults lists a project's published results pages.
func (h *ResultsPages) ProjectResults(c *gin.Context) error {
	lang := httpx.Lang(c)
	p, err := h.Results.Project(c.Request.Context(), c.Param("code"), lang)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(lang)
	page := h.Env.NewPage(c, l.T("results.project_title", "project", p.Title), p)
	page.Languages = h.Results.Languages()
	h.Env.HTML(c, http.StatusOK, "public/results_project.html", page)
	return nil
}

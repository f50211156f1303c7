package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
)

// ProjectReportJSON is a project report with its publishable text.
type ProjectReportJSON struct {
	report.ProjectReport
	Text map[string]report.Text `json:"text"`
}

// ProjectReport answers GET /api/v1/projects/{code}/report.
func (h *ReportAPI) ProjectReport(c *gin.Context) error {
	o := reportOptions(c)
	if _, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code")); err != nil {
		return err
	}
	rep, err := h.Reports.Project(c.Request.Context(), c.Param("code"), o)
	if err != nil {
		return err
	}
	if err := h.auditRaw(c, o, "project", rep.Project.Code); err != nil {
		return err
	}
	out := ProjectReportJSON{ProjectReport: rep, Text: map[string]report.Text{}}
	for _, lang := range textLanguages(c, h.Env) {
		out.Text[lang] = report.PublishableProject(h.Env.I18n.Localizer(lang), rep)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

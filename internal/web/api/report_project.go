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
func (h *ReportAPI) ProjectReport(c *gin.Context) {
	o := reportOptions(c)
	if _, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code")); err != nil {
		h.Env.Fail(c, err)
		return
	}
	rep, err := h.Reports.Project(c.Request.Context(), c.Param("code"), o)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if err := h.auditRaw(c, o, "project", rep.Project.Code); err != nil {
		h.Env.Fail(c, err)
		return
	}
	out := ProjectReportJSON{ProjectReport: rep, Text: map[string]report.Text{}}
	for _, lang := range textLanguages(c, h.Env) {
		out.Text[lang] = report.PublishableProject(h.Env.I18n.Localizer(lang), rep)
	}
	c.JSON(http.StatusOK, out)
}

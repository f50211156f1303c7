package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProjectReportPack answers GET /api/v1/projects/{code}/report/pack: the
// final report pack (ZIP), audited as a personal-data export.
func (h *ReportAPI) ProjectReportPack(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	if _, err := h.Reports.ExportPack(c.Request.Context(), &buf, l, h.Env.I18n, p.Code,
		report.PackExport{Actor: httpx.Principal(c), IP: c.ClientIP()}); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="`+p.Code+`-report-pack.zip"`)
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
	return nil
}

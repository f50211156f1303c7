package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventReportJSON is an event report with its publishable text.
type EventReportJSON struct {
	report.EventReport
	Text map[string]report.Text `json:"text"`
}

// EventReport answers GET /api/v1/events/{slug}/report.
func (h *ReportAPI) EventReport(c *gin.Context) error {
	o := reportOptions(c)
	if _, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug")); err != nil {
		return err
	}
	rep, err := h.Reports.Event(c.Request.Context(), c.Param("slug"), o)
	if err != nil {
		return err
	}
	if err := h.auditRaw(c, o, "event", rep.Event.Slug); err != nil {
		return err
	}
	out := EventReportJSON{EventReport: rep, Text: map[string]report.Text{}}
	for _, lang := range textLanguages(c, h.Env) {
		out.Text[lang] = report.Publishable(h.Env.I18n.Localizer(lang), rep)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// textLanguages are the publishable text's languages: ?lang= when the text
// is offered in it, else en and lv.
func textLanguages(c *gin.Context, env *httpx.Env) []string {
	if l := c.Query("lang"); l != "" && slices.Contains(report.TextLanguages(env.I18n), l) {
		return []string{l}
	}
	return []string{"en", "lv"}
}

// auditRaw records a request for unsuppressed small counts (?raw=1), which
// can single people out; ordinary reports need no entry.
func (h *ReportAPI) auditRaw(c *gin.Context, o report.Options, objectType, objectID string) error {
	if !o.Raw {
		return nil
	}
	return audit.Log(c.Request.Context(), h.Reports.Store, h.Reports.Store.DB, audit.Entry{Actor: httpx.Principal(c),
		Action: "export.raw_counts", ObjectType: objectType, ObjectID: objectID, IP: c.ClientIP(),
		Details: map[string]any{"format": "json"}})
}

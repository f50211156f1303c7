package reports

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Participants downloads an event's participants with the chosen columns,
// streamed row by row. The download is audited before the first byte.
func (h *Handler) Participants(c *gin.Context) error {
	e, err := h.visibleEvent(c)
	if err != nil {
		return err
	}
	f, err := format(c)
	if err != nil {
		return err
	}
	var cols []string
	for _, v := range c.QueryArray("columns") {
		for _, col := range strings.Split(v, ",") {
			if col = strings.TrimSpace(col); col != "" {
				cols = append(cols, col)
			}
		}
	}
	pe := report.ParticipantExport{Slug: e.Slug, Who: store.Who(c.Query("who")), Columns: cols,
		Raw: c.Query("raw") == "1", Format: f, RuleSet: c.Query("rules")}
	if err := pe.Validate(); err != nil {
		return err
	}
	if err := h.auditExport(c, "export.participants", "event", e.Slug, map[string]any{
		"format": string(f), "who": string(pe.Who), "columns": pe.Columns, "raw": pe.Raw}); err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	attachment(c, e.Slug+"-participants."+string(f), f.ContentType())
	if _, err := h.Reports.Participants(c.Request.Context(), c.Writer, l, pe); err != nil {
		_ = c.Error(err) // headers are sent: the download ends short
	}
	return nil
}

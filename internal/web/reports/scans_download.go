package reports

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// Scans downloads an event's full scan log (every scan, failed ones too),
// streamed; audited because it names participants and door staff.
func (h *Handler) Scans(c *gin.Context) error {
	f, err := format(c)
	if err != nil {
		return err
	}
	e, err := h.visibleEvent(c)
	if err != nil {
		return err
	}
	if err := h.auditExport(c, "export.scans", "event", e.Slug, map[string]any{"format": string(f)}); err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	attachment(c, e.Slug+"-scans."+string(f), f.ContentType())
	if _, err := h.Reports.Scans(c.Request.Context(), c.Writer, l, e.Slug, f, nil); err != nil {
		_ = c.Error(err) // headers are sent: the download ends short
	}
	return nil
}

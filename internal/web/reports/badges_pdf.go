package reports

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// BadgesPDF downloads A4 sheets of name badges for an event's confirmed
// participants, or with ?registration=ID one badge-sized page (a walk-in).
func (h *Handler) BadgesPDF(c *gin.Context) error {
	if _, err := h.visibleEvent(c); err != nil {
		return err
	}
	regID := queryInt(c, "registration")
	e, bs, err := h.Reports.Badges(c.Request.Context(), c.Param("slug"), regID)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	var buf bytes.Buffer
	if err := report.WriteBadgesPDF(&buf, l, e, bs, regID != 0); err != nil {
		return err
	}
	if err := h.auditExport(c, "export.badges", "event", e.Slug, map[string]any{"count": len(bs), "registration": regID}); err != nil {
		return err
	}
	name := e.Slug + "-badges.pdf"
	if regID != 0 {
		name = e.Slug + "-badge.pdf"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

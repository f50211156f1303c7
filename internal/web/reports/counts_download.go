package reports

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

func format(c *gin.Context) (report.Format, error) {
	f, ok := report.ParseFormat(c.DefaultQuery("format", "xlsx"))
	if !ok {
		return "", &apperr.Invalid{Fields: map[string]string{"format": "report.error.format"}}
	}
	return f, nil
}

// EventCounts downloads an event's counts (no personal data; the raw file
// with small counts unsuppressed is audited).
func (h *Handler) EventCounts(c *gin.Context) {
	if _, ok := h.visibleEvent(c); !ok {
		return
	}
	f, err := format(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	o := options(c)
	rep, err := h.Reports.Event(c.Request.Context(), c.Param("slug"), o)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if o.Raw {
		if err := h.auditExport(c, "export.raw_counts", "event", rep.Event.Slug, map[string]any{"format": string(f)}); err != nil {
			h.Env.Fail(c, err)
			return
		}
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	attachment(c, rep.Event.Slug+"-counts."+string(f), f.ContentType())
	if err := report.WriteCounts(c.Writer, f, l, rep.Counts, rep.Rules, nil); err != nil {
		_ = c.Error(err) // headers are sent: the download ends short
	}
}

// ProjectCounts downloads a project's counts with its events side by side.
func (h *Handler) ProjectCounts(c *gin.Context) {
	f, err := format(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if _, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code")); err != nil {
		h.Env.Fail(c, err)
		return
	}
	o := options(c)
	rep, err := h.Reports.Project(c.Request.Context(), c.Param("code"), o)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if o.Raw {
		if err := h.auditExport(c, "export.raw_counts", "project", rep.Project.Code, map[string]any{"format": string(f)}); err != nil {
			h.Env.Fail(c, err)
			return
		}
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	attachment(c, rep.Project.Code+"-counts."+string(f), f.ContentType())
	if err := report.WriteCounts(c.Writer, f, l, rep.Counts, rep.Rules, rep.Events); err != nil {
		_ = c.Error(err)
	}
}

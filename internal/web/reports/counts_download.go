package reports

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
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
func (h *Handler) EventCounts(c *gin.Context) error {
	if _, err := h.visibleEvent(c); err != nil {
		return err
	}
	f, err := format(c)
	if err != nil {
		return err
	}
	o := options(c)
	rep, err := h.Reports.Event(c.Request.Context(), c.Param("slug"), o)
	if err != nil {
		return err
	}
	return h.sendCounts(c, f, o, "event", rep.Event.Slug, rep.Counts, rep.Rules, nil)
}

// ProjectCounts downloads a project's counts with its events side by side.
func (h *Handler) ProjectCounts(c *gin.Context) error {
	f, err := format(c)
	if err != nil {
		return err
	}
	if _, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code")); err != nil {
		return err
	}
	o := options(c)
	rep, err := h.Reports.Project(c.Request.Context(), c.Param("code"), o)
	if err != nil {
		return err
	}
	return h.sendCounts(c, f, o, "project", rep.Project.Code, rep.Counts, rep.Rules, rep.Events)
}

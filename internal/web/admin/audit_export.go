package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// AuditExport downloads the filtered audit log as CSV. The download itself is
// recorded: the log names who looked at whom.
func (h *Handler) AuditExport(c *gin.Context) error {
	f, _, q := auditFilter(c)
	f.Limit = audit.MaxExport
	ctx := c.Request.Context()
	es, err := audit.List(ctx, h.Store, f)
	if err != nil {
		return err
	}
	if len(es) >= audit.MaxExport {
		return apperr.ErrTooLarge
	}
	if err := audit.Log(ctx, h.Store, h.Store.DB, audit.Entry{Actor: httpx.Principal(c), Action: "export.audit_log",
		IP: c.ClientIP(), Details: map[string]any{"rows": len(es), "filter": q.Encode()}}); err != nil {
		return err
	}
	name := "audit-" + h.Now().UTC().Format("20060102-1504") + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	_ = audit.WriteCSV(c.Writer, es)
	return nil
}

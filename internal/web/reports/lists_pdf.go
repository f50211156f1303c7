package reports

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ListsPDF downloads an event's signed participant lists: all of them, or the
// one named by ?list=. The fingerprints go to the audit log so that a printed
// copy can later be checked against what was issued.
func (h *Handler) ListsPDF(c *gin.Context) error {
	if _, err := h.visibleEvent(c); err != nil {
		return err
	}
	ls, err := h.Reports.EventLists(c.Request.Context(), c.Param("slug"), options(c))
	if err != nil {
		return err
	}
	lists := ls.Lists
	if key := c.Query("list"); key != "" {
		one, ok := ls.Find(key)
		if !ok {
			return apperr.ErrNotFound
		}
		lists = []report.List{one}
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	var buf bytes.Buffer
	digest, err := report.WriteListsPDF(&buf, l, ls, lists)
	if err != nil {
		return err
	}
	prints := map[string]string{}
	rows := 0
	for _, li := range lists {
		prints[li.Key] = li.SHA256
		rows += len(li.Rows)
	}
	if err := h.auditExport(c, "export.lists", "event", ls.Report.Event.Slug, map[string]any{
		"format": "pdf", "lists": prints, "rows": rows, "pdf_sha256": digest}); err != nil {
		return err
	}
	name := ls.Report.Event.Slug + "-lists.pdf"
	if len(lists) == 1 {
		name = ls.Report.Event.Slug + "-list-" + lists[0].Key + ".pdf"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/store"
)

type auditData struct {
	Entries []store.AuditEntry
	Filter  map[string]string
	Older   string
	Export  string
}

// auditFilter reads the audit filter from the query (dates as yyyy-mm-dd, UTC).
func auditFilter(c *gin.Context) (store.AuditFilter, map[string]string, url.Values) {
	vals := map[string]string{}
	q := url.Values{}
	for _, k := range []string{"action", "object_type", "object_id", "actor", "since", "until"} {
		v := strings.TrimSpace(c.Query(k))
		if len(v) > 100 {
			v = v[:100]
		}
		vals[k] = v
		if v != "" {
			q.Set(k, v)
		}
	}
	f := store.AuditFilter{Action: vals["action"], ObjectType: vals["object_type"], ObjectID: vals["object_id"],
		Actor: vals["actor"]}
	if t, err := time.Parse("2006-01-02", vals["since"]); err == nil {
		f.Since = &t
	}
	if t, err := time.Parse("2006-01-02", vals["until"]); err == nil {
		end := t.AddDate(0, 0, 1)
		f.Until = &end
	}
	return f, vals, q
}

// AuditList shows the audit log, newest first, filtered.
func (h *Handler) AuditList(c *gin.Context) error {
	f, vals, q := auditFilter(c)
	f.Limit = 100
	if b, err := strconv.ParseInt(c.Query("before"), 10, 64); err == nil && b > 0 {
		f.BeforeID = b
	}
	es, err := audit.List(c.Request.Context(), h.Store, f)
	if err != nil {
		return err
	}
	d := auditData{Entries: es, Filter: vals, Export: "/admin/audit.csv?" + q.Encode()}
	if len(es) == f.Limit {
		older := url.Values{}
		for k, v := range q {
			older[k] = v
		}
		older.Set("before", strconv.FormatInt(es[len(es)-1].ID, 10))
		d.Older = "/admin/audit?" + older.Encode()
	}
	h.render(c, http.StatusOK, "audit", "admin.audit.title", newForm(d))
	return nil
}

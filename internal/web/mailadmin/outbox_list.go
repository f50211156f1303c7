package mailadmin

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

type outboxData struct {
	Stats    store.OutboxStats
	Keep     bool
	Failed   []store.OutboxMessage
	Recent   []store.OutboxMessage
	Status   string
	Statuses []string
	Older    int64
	Retried  string
}

var statuses = []string{"queued", "sending", "sent", "failed"}

// OutboxList shows the outbox: counts by state, the failed messages with a
// retry button, and the recent messages (filter by state, page back).
func (h *Handler) OutboxList(c *gin.Context) error {
	status := c.Query("status")
	if !slices.Contains(statuses, status) {
		status = ""
	}
	d := outboxData{Keep: h.Keep, Status: status, Statuses: statuses, Retried: c.Query("retried")}
	var err error
	if d.Stats, err = h.Store.OutboxStats(c.Request.Context(), h.Store.DB); err != nil {
		return err
	}
	if d.Failed, err = h.Store.OutboxList(c.Request.Context(), h.Store.DB, store.OutboxFilter{Status: "failed", Limit: pageSize}); err != nil {
		return err
	}
	f := store.OutboxFilter{Status: status, Limit: pageSize, BeforeID: beforeParam(c)}
	if d.Recent, err = h.Store.OutboxList(c.Request.Context(), h.Store.DB, f); err != nil {
		return err
	}
	d.Older = olderLink(d.Recent)
	page := h.Env.NewPage(c, "", d)
	page.Title = page.L.T("mailadmin.outbox.title")
	h.Env.HTML(c, http.StatusOK, "mailadmin/outbox.html", page)
	return nil
}

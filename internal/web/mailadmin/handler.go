// Package mailadmin serves the administrators' e-mail pages: the outbox with
// its failures (and a retry button), and the development mail page that shows
// the messages kept when no SMTP server is configured.
package mailadmin

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what the pages need.
type Handler struct {
	Env   *httpx.Env
	Store *store.Store
	// Keep is true when no SMTP server is configured (messages are kept).
	Keep bool
}

// message loads the message the path's id names.
func (h *Handler) message(c *gin.Context) (store.OutboxMessage, error) {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return store.OutboxMessage{}, err
	}
	return h.Store.Outbox(c.Request.Context(), h.Store.DB, id)
}

func beforeParam(c *gin.Context) int64 {
	id, err := strconv.ParseInt(c.Query("before"), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// pageSize is how many messages a listing shows.
const pageSize = 50

// olderLink is the paging cursor: the id of the last row when the page is full.
func olderLink(ms []store.OutboxMessage) int64 {
	if len(ms) < pageSize {
		return 0
	}
	return ms[len(ms)-1].ID
}

package mailadmin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// OutboxRetry queues a failed message again, recording who did it.
func (h *Handler) OutboxRetry(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	err = h.Store.InTx(c.Request.Context(), func(tx *sqlx.Tx) error {
		if err := h.Store.RetryOutbox(c.Request.Context(), tx, id); err != nil {
			return err
		}
		return audit.Log(c.Request.Context(), h.Store, tx, audit.Entry{
			Actor: httpx.Principal(c), Action: "outbox.retry", ObjectType: "outbox", ObjectID: id, IP: c.ClientIP(),
		})
	})
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/outbox?retried="+strconv.FormatInt(id, 10))
	return nil
}

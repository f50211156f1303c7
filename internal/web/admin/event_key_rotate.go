package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventKeyRotate gives the event a new ticket signing key (a key thought
// exposed, a new season). Tickets issued before stay valid until revoked.
func (h *Handler) EventKeyRotate(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	if _, err := tickets.New(h.Store).Rotate(c.Request.Context(), e.ID, httpx.Principal(c), c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=key_rotated")
	return nil
}

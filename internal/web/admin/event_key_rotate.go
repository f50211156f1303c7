package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/ticketing"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventKeyRotate gives the event a new ticket signing key (a key thought
// exposed, a new season). Tickets issued before stay valid until revoked.
func (h *Handler) EventKeyRotate(c *gin.Context) {
	e, err := h.event(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if _, err := ticketing.New(h.Store).Rotate(c.Request.Context(), e.ID, httpx.Principal(c), c.ClientIP()); err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=key_rotated")
}

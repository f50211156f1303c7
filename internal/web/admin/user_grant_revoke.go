package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserGrantRevoke takes an event away from a user.
func (h *Handler) UserGrantRevoke(c *gin.Context) {
	u, err := h.user(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	eid, err := id(c, "event")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if err := h.Accounts.RevokeGrant(c.Request.Context(), httpx.Principal(c), u.ID, eid, c.ClientIP()); err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, userURL(u.ID)+"?done=revoked")
}

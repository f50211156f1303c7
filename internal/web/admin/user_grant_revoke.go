package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserGrantRevoke takes an event away from a user.
func (h *Handler) UserGrantRevoke(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	eid, err := httpx.ID(c, "event")
	if err != nil {
		return err
	}
	if err := h.Accounts.RevokeGrant(c.Request.Context(), httpx.Principal(c), u.ID, eid, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, userURL(u.ID)+"?done=revoked")
	return nil
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// TokenRevoke stops a token at once; back to the page it was revoked from.
func (h *Handler) TokenRevoke(c *gin.Context) error {
	tid, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Accounts.RevokeToken(c.Request.Context(), httpx.Principal(c), tid, c.ClientIP()); err != nil {
		return err
	}
	back := "/admin/tokens"
	if uid, err := parseOptionalID(c.PostForm("user")); err == nil && uid != nil {
		back = userURL(*uid)
	}
	redirect(c, back+"?done=token_revoked")
	return nil
}

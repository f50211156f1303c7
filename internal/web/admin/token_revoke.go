package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// TokenRevoke stops a token at once; back to the page it was revoked from.
func (h *Handler) TokenRevoke(c *gin.Context) {
	tid, err := id(c, "id")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if err := h.Accounts.RevokeToken(c.Request.Context(), httpx.Principal(c), tid, c.ClientIP()); err != nil {
		h.Env.Fail(c, err)
		return
	}
	back := "/admin/tokens"
	if uid, err := parseOptionalID(c.PostForm("user")); err == nil && uid != nil {
		back = userURL(*uid)
	}
	redirect(c, back+"?done=token_revoked")
}

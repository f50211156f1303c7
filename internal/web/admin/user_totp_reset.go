package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserTOTPReset removes a user's second factor (a lost phone).
func (h *Handler) UserTOTPReset(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	if err := h.Accounts.ResetTOTP(c.Request.Context(), httpx.Principal(c), u.ID, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, userURL(u.ID)+"?done=totp_reset")
	return nil
}

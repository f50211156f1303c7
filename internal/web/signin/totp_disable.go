package signin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// TOTPDisable removes the second factor after checking the password.
func (h *Handler) TOTPDisable(c *gin.Context) error {
	err := h.Accounts.DisableTOTP(c.Request.Context(), httpx.Principal(c), c.PostForm("password"), c.ClientIP())
	return h.changed(c, err, "totp-off")
}

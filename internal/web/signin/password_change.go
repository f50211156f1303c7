package signin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PasswordChange sets a new password after checking the current one.
func (h *Handler) PasswordChange(c *gin.Context) error {
	ck, _ := c.Cookie(auth.SessionCookie)
	err := h.Accounts.ChangePassword(c.Request.Context(), httpx.Principal(c), c.PostForm("current"),
		c.PostForm("password"), c.PostForm("confirm"), c.ClientIP(), ck)
	return h.changed(c, err, "password")
}

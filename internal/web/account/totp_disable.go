package account

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// TOTPDisable removes the second factor after checking the password.
func (h *Handler) TOTPDisable(c *gin.Context) error {
	f := newForm()
	err := h.Accounts.DisableTOTP(c.Request.Context(), httpx.Principal(c), c.PostForm("password"), c.ClientIP())
	if f.fail(err) {
		return h.accountPage(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account?done=totp-off")
	return nil
}

package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// TOTPEnable saves the secret once a code from the authenticator matches it.
func (h *Handler) TOTPEnable(c *gin.Context) error {
	p := httpx.Principal(c)
	secret := c.PostForm("secret")
	err := h.Accounts.EnableTOTP(c.Request.Context(), p, secret, c.PostForm("code"), c.ClientIP())
	f := newForm()
	if f.fail(err) {
		var setup account.TOTPSetup
		if setup, err = h.Accounts.SetupFor(p, secret); err != nil {
			if setup, err = h.Accounts.NewTOTP(p); err != nil {
				return err
			}
		}
		f.Extra = setup
		h.render(c, http.StatusUnprocessableEntity, "totp", "account.totp.title", f)
		return nil
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account?done=totp-on")
	return nil
}

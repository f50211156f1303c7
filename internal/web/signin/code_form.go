package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// CodeForm asks for the authenticator code of a half-signed-in session.
func (h *Handler) CodeForm(c *gin.Context) error {
	ck, _ := c.Cookie(auth.SessionCookie)
	if !h.Accounts.PendingTOTP(c.Request.Context(), ck) {
		c.Redirect(http.StatusSeeOther, "/signin")
		return nil
	}
	f := newForm()
	f.Values["next"] = httpx.SafePath(c.Query("next"))
	h.render(c, http.StatusOK, "code", "account.totp.signin_title", f)
	return nil
}

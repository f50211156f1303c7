package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// Signout ends this browser's session.
func (h *Handler) Signout(c *gin.Context) error {
	ck, _ := c.Cookie(auth.SessionCookie)
	if err := h.Accounts.SignOut(c.Request.Context(), ck); err != nil {
		return err
	}
	h.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/signin?done=signedout")
	return nil
}

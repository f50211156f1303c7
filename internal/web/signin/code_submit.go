package signin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// CodeSubmit checks the code and replaces the session by a full one.
func (h *Handler) CodeSubmit(c *gin.Context) error {
	ck, _ := c.Cookie(auth.SessionCookie)
	f := newForm()
	next := httpx.SafePath(c.PostForm("next"))
	f.Values["next"] = next
	fresh, err := h.Accounts.VerifyTOTP(c.Request.Context(), ck, c.PostForm("code"), c.ClientIP())
	switch {
	case isRateLimited(err):
		h.setSession(c, "", -1)
		c.Redirect(http.StatusSeeOther, "/signin")
		return nil
	case f.fail(err):
		h.render(c, http.StatusUnprocessableEntity, "code", "account.totp.signin_title", f)
		return nil
	case err != nil:
		if errors.Is(err, apperr.ErrUnauthorized) {
			c.Redirect(http.StatusSeeOther, "/signin")
			return nil
		}
		return err
	}
	h.setSession(c, fresh, int(auth.SessionTTL.Seconds()))
	if next == "" {
		next = "/admin/"
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

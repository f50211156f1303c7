package signin

import (
	"errors"
	"math"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// SigninSubmit checks the password; with a second factor the code page follows.
func (h *Handler) SigninSubmit(c *gin.Context) error {
	f := newForm()
	email := c.PostForm("email")
	next := httpx.SafePath(c.PostForm("next"))
	f.Values["email"], f.Values["next"] = email, next
	res, err := h.Accounts.SignIn(c.Request.Context(), email, c.PostForm("password"), c.ClientIP())
	var th *account.Throttled
	switch {
	case errors.As(err, &th):
		mins := int(math.Ceil(th.Until.Sub(h.Accounts.Now()).Minutes()))
		f.Message, f.Kind = "account.signin.error.throttled", "error"
		f.Extra = max(mins, 1)
		c.Header("Retry-After", "60")
		h.render(c, http.StatusTooManyRequests, "signin", "account.signin.title", f)
		return nil
	case isRateLimited(err):
		f.Message, f.Kind = "account.signin.error.too_many", "error"
		c.Header("Retry-After", "300")
		h.render(c, http.StatusTooManyRequests, "signin", "account.signin.title", f)
		return nil
	case f.fail(err):
		h.render(c, http.StatusUnprocessableEntity, "signin", "account.signin.title", f)
		return nil
	case err != nil:
		return err
	}
	h.setSession(c, res.Cookie, int(auth.SessionTTL.Seconds()))
	if res.NeedTOTP {
		c.Redirect(http.StatusSeeOther, "/signin/code?next="+url.QueryEscape(next))
		return nil
	}
	if next == "" {
		next = home(res.User.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ForgotSubmit sends the link when the account exists; the answer is the same
// either way, so the form tells nobody which addresses have accounts.
func (h *Handler) ForgotSubmit(c *gin.Context) error {
	f := newForm()
	f.Values["email"] = c.PostForm("email")
	err := h.Accounts.RequestReset(c.Request.Context(), c.PostForm("email"), c.ClientIP())
	switch {
	case isRateLimited(err):
		f.Message, f.Kind = "account.signin.error.too_many", "error"
		h.render(c, http.StatusTooManyRequests, "forgot", "account.reset.request_title", f)
		return nil
	case f.fail(err):
		h.render(c, http.StatusUnprocessableEntity, "forgot", "account.reset.request_title", f)
		return nil
	case err != nil:
		return err
	}
	f.Values["email"] = ""
	f.Message, f.Kind = "account.reset.sent", "success"
	h.render(c, http.StatusOK, "forgot", "account.reset.request_title", f)
	return nil
}

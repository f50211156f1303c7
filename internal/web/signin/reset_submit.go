package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ResetSubmit sets the new password and sends the user to sign in.
func (h *Handler) ResetSubmit(c *gin.Context) error {
	f := newForm()
	token := c.PostForm("token")
	f.Values["token"] = token
	err := h.Accounts.ResetPassword(c.Request.Context(), token, c.PostForm("password"), c.PostForm("confirm"), c.ClientIP())
	if f.fail(err) {
		if _, bad := f.Errors["token"]; bad {
			f.Message, f.Kind = "account.reset.invalid", "error"
			f.Values["token"] = ""
		}
		h.render(c, http.StatusUnprocessableEntity, "reset", "account.reset.title", f)
		return nil
	}
	if err != nil {
		return err
	}
	h.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/signin?done=reset")
	return nil
}

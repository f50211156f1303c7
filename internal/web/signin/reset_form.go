package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ResetForm asks for a new password if the link still works.
func (h *Handler) ResetForm(c *gin.Context) error {
	f := newForm()
	token := c.Query("token")
	if !h.Accounts.ResetTokenValid(c.Request.Context(), token) {
		f.Message, f.Kind = "account.reset.invalid", "error"
		h.render(c, http.StatusNotFound, "reset", "account.reset.title", f)
		return nil
	}
	f.Values["token"] = token
	h.render(c, http.StatusOK, "reset", "account.reset.title", f)
	return nil
}

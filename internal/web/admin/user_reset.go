package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserReset e-mails the user a link to set a new password.
func (h *Handler) UserReset(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	err = h.Accounts.SendReset(c.Request.Context(), httpx.Principal(c), u.ID, c.ClientIP())
	return finish(c, err, userURL(u.ID)+"?done=reset_sent", func(f *form) error {
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
	})
}

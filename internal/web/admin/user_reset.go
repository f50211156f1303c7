package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserReset e-mails the user a link to set a new password.
func (h *Handler) UserReset(c *gin.Context) {
	u, err := h.user(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	err = h.Accounts.SendReset(c.Request.Context(), httpx.Principal(c), u.ID, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, userURL(u.ID)+"?done=reset_sent")
}

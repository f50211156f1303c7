package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserSave saves a user's profile and role.
func (h *Handler) UserSave(c *gin.Context) {
	u, err := h.user(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	in := userInput(c)
	err = h.Accounts.UpdateUser(c.Request.Context(), httpx.Principal(c), u.ID, in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: in}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, userURL(u.ID)+"?done=saved")
}

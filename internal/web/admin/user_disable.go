package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserDisable disables an account (or enables it again with enable=1).
func (h *Handler) UserDisable(c *gin.Context) {
	u, err := h.user(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	disable := c.PostForm("enable") != "1"
	err = h.Accounts.SetDisabled(c.Request.Context(), httpx.Principal(c), u.ID, disable, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	done := "enabled"
	if disable {
		done = "disabled"
	}
	redirect(c, userURL(u.ID)+"?done="+done)
}

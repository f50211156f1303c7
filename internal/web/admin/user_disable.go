package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserDisable disables an account (or enables it again with enable=1).
func (h *Handler) UserDisable(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	disable := c.PostForm("enable") != "1"
	err = h.Accounts.SetDisabled(c.Request.Context(), httpx.Principal(c), u.ID, disable, c.ClientIP())
	done := "enabled"
	if disable {
		done = "disabled"
	}
	return finish(c, err, userURL(u.ID)+"?done="+done, func(f *form) error {
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
	})
}

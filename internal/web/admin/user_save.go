package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserSave saves a user's profile and role.
func (h *Handler) UserSave(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	in := userInput(c)
	err = h.Accounts.UpdateUser(c.Request.Context(), httpx.Principal(c), u.ID, in, c.ClientIP())
	return finish(c, err, userURL(u.ID)+"?done=saved", func(f *form) error {
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: in}, f)
	})
}

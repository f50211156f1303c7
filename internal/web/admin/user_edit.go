package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// UserEdit shows a user's form, event grants and API tokens.
func (h *Handler) UserEdit(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	return h.userForm(c, http.StatusOK, userForm{User: u, Input: inputOfUser(u)}, newForm(nil).done(c))
}

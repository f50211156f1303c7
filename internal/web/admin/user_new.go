package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
)

// UserNew shows an empty user form.
func (h *Handler) UserNew(c *gin.Context) error {
	return h.userForm(c, http.StatusOK, userForm{New: true, Input: account.UserInput{Role: auth.RoleDoor, Language: "lv"}}, newForm(nil))
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserCreate adds an account. Without a password the person is sent a link
// to set one (nobody else ever knows it).
func (h *Handler) UserCreate(c *gin.Context) error {
	in := userInput(c)
	actor := httpx.Principal(c)
	u, _, err := h.Accounts.CreateUser(c.Request.Context(), actor, in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		in.Password = ""
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{New: true, Input: in}, f)
	}
	if err != nil {
		return err
	}
	done := "created"
	if in.Password == "" {
		if err := h.Accounts.SendReset(c.Request.Context(), actor, u.ID, c.ClientIP()); err != nil {
			return err
		}
		done = "created_invited"
	}
	redirect(c, userURL(u.ID)+"?done="+done)
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserTokenCreate issues an API token and shows it once: only its hash is kept.
func (h *Handler) UserTokenCreate(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	tok, err := h.Accounts.CreateToken(c.Request.Context(), httpx.Principal(c), u.ID, c.PostFormArray("scopes"),
		c.PostForm("label"), c.ClientIP())
	f := newForm(nil)
	if f.fail(err) {
		f.Values["label"] = c.PostForm("label")
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
	}
	if err != nil {
		return err
	}
	f.Message, f.Kind = "admin.done.token_created", "success"
	return h.userForm(c, http.StatusCreated, userForm{User: u, Input: inputOfUser(u), NewToken: &tok}, f)
}

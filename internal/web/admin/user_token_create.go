package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserTokenCreate issues an API token and shows it once: only its hash is kept.
func (h *Handler) UserTokenCreate(c *gin.Context) {
	u, err := h.user(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	tok, err := h.Accounts.CreateToken(c.Request.Context(), httpx.Principal(c), u.ID, c.PostFormArray("scopes"),
		c.PostForm("label"), c.ClientIP())
	f := newForm(nil)
	if f.fail(err) {
		f.Values["label"] = c.PostForm("label")
		h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	f.Message, f.Kind = "admin.done.token_created", "success"
	h.userForm(c, http.StatusCreated, userForm{User: u, Input: inputOfUser(u), NewToken: &tok}, f)
}

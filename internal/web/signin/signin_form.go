package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// SigninForm shows the sign-in form; signed-in users go straight on.
func (h *Handler) SigninForm(c *gin.Context) error {
	next := httpx.SafePath(c.Query("next"))
	if p := httpx.Principal(c); p != nil && p.UserID != 0 && p.TokenID == 0 {
		if next == "" {
			next = home(p.Role)
		}
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	f := newForm()
	f.Values["next"] = next
	switch c.Query("done") {
	case "signedout":
		f.Message, f.Kind = "account.signin.signed_out", "success"
	case "reset":
		f.Message, f.Kind = "account.reset.done", "success"
	}
	h.render(c, http.StatusOK, "signin", "account.signin.title", f)
	return nil
}

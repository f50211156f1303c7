package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type accountView struct {
	Principal *auth.Principal
	TOTP      bool
	Sessions  int
	CanTOTP   bool
	// Language is the account's setting; Languages those the role may choose.
	Language  string
	Languages []string
}

func (h *Handler) accountPage(c *gin.Context, status int, f *form) error {
	p := httpx.Principal(c)
	ctx := c.Request.Context()
	u, err := h.Accounts.Store.User(ctx, h.Accounts.Store.DB, p.UserID)
	if err != nil {
		return err
	}
	n, err := h.Accounts.Store.CountSessions(ctx, h.Accounts.Store.DB, p.UserID)
	if err != nil {
		return err
	}
	f.Extra = accountView{Principal: p, TOTP: u.HasTOTP, Sessions: n, CanTOTP: p.Role == auth.RoleAdmin,
		Language: u.Language, Languages: account.LanguagesFor(p.Role)}
	h.render(c, status, "account", "account.title", f)
	return nil
}

// changed answers a change made on the account page: invalid input shows the
// page again with its field messages, success goes back to it with the notice
// done names.
func (h *Handler) changed(c *gin.Context, err error, done string) error {
	f := newForm()
	if f.fail(err) {
		return h.accountPage(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account?done="+done)
	return nil
}

// Show is the signed-in user's own account page.
func (h *Handler) Show(c *gin.Context) error {
	f := newForm()
	switch c.Query("done") {
	case "password":
		f.Message, f.Kind = "account.password.changed", "success"
	case "totp-on":
		f.Message, f.Kind = "account.totp.enabled", "success"
	case "language":
		f.Message, f.Kind = "account.language.changed", "success"
	case "totp-off":
		f.Message, f.Kind = "account.totp.disabled", "success"
	}
	return h.accountPage(c, http.StatusOK, f)
}

// Package signin serves the sign-in pages and a staff member's own account:
// password, second factor, signing out here or everywhere.
package signin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what the account pages need.
type Handler struct {
	Env      *httpx.Env
	Accounts *account.Service
	// SecureCookies marks cookies Secure (the site is served over HTTPS).
	SecureCookies bool
}

// form is the data of every account form page.
type form struct {
	Values  map[string]string
	Errors  map[string]string
	Message string // catalogue key of a notice above the form
	Kind    string // success | error
	Extra   any
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// fail puts a validation error on the form; other errors go to the error page.
func (f *form) fail(err error) bool {
	if inv, ok := apperr.AsInvalid(err); ok {
		for k, v := range inv.Fields {
			f.Errors[k] = v
		}
		return true
	}
	return false
}

func (h *Handler) render(c *gin.Context, status int, page, titleKey string, f *form) {
	// Sign-in and one's own account are translated into every language: door
	// staff and partner coordinators use them too.
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	p := h.Env.NewPage(c, l.T(titleKey), f)
	p.Languages = i18n.Languages
	p.BodyClass = "account"
	h.Env.HTML(c, status, "account/"+page+".html", p)
}

// setSession stores the session cookie: HttpOnly, SameSite=Lax, Secure on HTTPS.
func (h *Handler) setSession(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: auth.SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// home is where a user lands after signing in without a target.
func home(role string) string {
	switch role {
	case auth.RoleAdmin, auth.RoleCoordinator:
		return "/admin/"
	case auth.RoleDoor:
		return "/door/scan"
	case auth.RolePartner:
		return "/partner/"
	}
	return "/account"
}

func isRateLimited(err error) bool { return errors.Is(err, apperr.ErrRateLimited) }

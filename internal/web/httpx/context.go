package httpx

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
)

// Keys of values the middleware puts on the gin context.
const (
	keyRequestID = "attend.request_id"
	keyLang      = "attend.lang"
	keyPrincipal = "attend.principal"
	keyCSRF      = "attend.csrf"
	keyAPI       = "attend.api"
)

// Env is what handlers need from the server to render and localize.
type Env struct {
	Render *Renderer
	I18n   *i18n.Bundle
	Log    *slog.Logger // the server's logger; slog.Default() when nil
	// Objects loads what a route names, under the access rule.
	Objects *Objects
}

// RequestID returns the request id set by the middleware.
func RequestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// SetRequestID stores the request id.
func SetRequestID(c *gin.Context, id string) { c.Set(keyRequestID, id) }

// Lang returns the language chosen for this request.
func Lang(c *gin.Context) string {
	if l := c.GetString(keyLang); l != "" {
		return l
	}
	return i18n.Fallback
}

// SetLang stores the request's language.
func SetLang(c *gin.Context, lang string) { c.Set(keyLang, lang) }

// Principal returns the authenticated caller, or nil.
func Principal(c *gin.Context) *auth.Principal {
	if v, ok := c.Get(keyPrincipal); ok {
		if p, ok := v.(*auth.Principal); ok {
			return p
		}
	}
	return nil
}

// SetPrincipal stores the authenticated caller.
func SetPrincipal(c *gin.Context, p *auth.Principal) { c.Set(keyPrincipal, p) }

// CSRF returns the token forms must echo.
func CSRF(c *gin.Context) string { return c.GetString(keyCSRF) }

// SetCSRF stores the request's CSRF token.
func SetCSRF(c *gin.Context, token string) { c.Set(keyCSRF, token) }

// MarkAPI makes errors on this request answer in JSON.
func MarkAPI(c *gin.Context) { c.Set(keyAPI, true) }

// IsAPI reports whether errors should answer in JSON.
func IsAPI(c *gin.Context) bool { return c.GetBool(keyAPI) }

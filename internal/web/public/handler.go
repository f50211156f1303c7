// Package public serves the pages anyone may open: the home page, event pages,
// registration and the private self-service pages.
package public

import (
	"time"

	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what public pages need.
type Handler struct {
	Env   *httpx.Env
	Store *store.Store
	Now   func() time.Time
	// Reg and Limits serve registration and self-service; the router sets them.
	Reg    *registration.Service
	Limits *ratelimit.Limiter
}

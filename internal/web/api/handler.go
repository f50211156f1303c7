// Package api serves the JSON API under /api/v1, documented in openapi.json.
package api

import (
	"time"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what API routes need.
type Handler struct {
	Env     *httpx.Env
	Store   *store.Store
	Now     func() time.Time
	BaseURL string
	Version string
}

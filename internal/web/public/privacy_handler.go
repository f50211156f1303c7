package public

import (
	"context"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PrivateLink opens a private link: the registration it belongs to, or
// ErrNotFound. The registration service implements it.
type PrivateLink interface {
	VerifyManage(ctx context.Context, id int64, token string) (store.Registration, error)
}

// PrivacyHandler serves the public privacy notice and the person's own access export.
type PrivacyHandler struct {
	Env     *httpx.Env
	Store   *store.Store
	Privacy *privacy.Service
	Manage  PrivateLink
}

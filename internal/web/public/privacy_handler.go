package public

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PrivateLink opens a private link: the registration it belongs to, or
// ErrNotFound. The registration service implements it.
type PrivateLink interface {
	VerifyManage(ctx context.Context, id int64, token string) (store.Registration, error)
}

// privateLink verifies the private link of the request (:id and :token). A
// wrong link is a plain 404 that says nothing about whether the registration
// exists.
func privateLink(c *gin.Context, v PrivateLink) (store.Registration, error) {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return store.Registration{}, err
	}
	r, err := v.VerifyManage(c.Request.Context(), id, c.Param("token"))
	if privacyNotFound(err) {
		return store.Registration{}, apperr.ErrNotFound
	}
	return r, err
}

// PrivacyHandler serves the public privacy notice and the person's own access export.
type PrivacyHandler struct {
	Env     *httpx.Env
	Store   *store.Store
	Privacy *privacy.Service
	Manage  PrivateLink
}

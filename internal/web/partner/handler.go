// Package partner serves the partner coordinators' pages: register a
// delegation of several people at once and follow its status and attendance.
package partner

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what partner pages need.
type Handler struct {
	Env   *httpx.Env
	Store *store.Store
	Reg   *registration.Service
	Now   func() time.Time
}

// scope is the partner whose delegations the caller sees: their own for a
// partner coordinator, every partner (0) for coordinators and admins.
func scope(p *auth.Principal) (int64, error) {
	if p == nil {
		return 0, apperr.ErrUnauthorized
	}
	if p.Role == auth.RolePartner {
		if p.PartnerID == nil {
			return 0, apperr.ErrForbidden
		}
		return *p.PartnerID, nil
	}
	return 0, nil
}

func principal(c *gin.Context) *auth.Principal { return httpx.Principal(c) }

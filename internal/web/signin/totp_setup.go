package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// TOTPSetup shows a new secret as a QR code for an administrator's authenticator.
func (h *Handler) TOTPSetup(c *gin.Context) error {
	p := httpx.Principal(c)
	if p.Role != auth.RoleAdmin {
		return apperr.ErrForbidden
	}
	setup, err := h.Accounts.NewTOTP(p)
	if err != nil {
		return err
	}
	f := newForm()
	f.Extra = setup
	h.render(c, http.StatusOK, "totp", "account.totp.title", f)
	return nil
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationResend sends the ticket (or the current state) again.
func (h *Handler) RegistrationResend(c *gin.Context) error {
	r, _, err := h.registration(c)
	if err != nil {
		return err
	}
	if err := h.Registrations.ResendTicket(c.Request.Context(), r.ID, httpx.Principal(c)); err != nil {
		return err
	}
	redirect(c, regURL(r)+"?done=resent")
	return nil
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationCancel cancels a registration: the ticket is revoked, the seat
// freed for the waiting list, and the person told.
func (h *Handler) RegistrationCancel(c *gin.Context) error {
	r, _, err := h.registration(c)
	if err != nil {
		return err
	}
	if err := h.Registrations.Cancel(c.Request.Context(), r.ID, httpx.Principal(c)); err != nil {
		return err
	}
	redirect(c, regURL(r)+"?done=cancelled")
	return nil
}

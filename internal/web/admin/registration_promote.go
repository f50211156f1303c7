package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationPromote fills the event's free seats from its waiting list, in
// waiting-list order (nobody jumps the queue from this page).
func (h *Handler) RegistrationPromote(c *gin.Context) error {
	r, _, err := h.registration(c)
	if err != nil {
		return err
	}
	if _, err := h.Registrations.Promote(c.Request.Context(), r.EventID, httpx.Principal(c)); err != nil {
		return err
	}
	redirect(c, regURL(r)+"?done=promoted")
	return nil
}

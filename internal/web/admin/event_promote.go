package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventPromote fills free seats from the waiting list, in its order.
func (h *Handler) EventPromote(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	if _, err := h.Registrations.Promote(c.Request.Context(), e.ID, httpx.Principal(c)); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=promoted")
	return nil
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventResultsPublish makes the event's public results page public; only a
// coordinator's action does, never the system.
func (h *Handler) EventResultsPublish(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	if err := h.Results.Publish(c.Request.Context(), httpx.Principal(c), e, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=results_published#results")
	return nil
}

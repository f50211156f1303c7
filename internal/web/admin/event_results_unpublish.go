package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventResultsUnpublish takes the event's results page down (it answers 404
// again).
func (h *Handler) EventResultsUnpublish(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	if err := h.Results.Unpublish(c.Request.Context(), httpx.Principal(c), e, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=results_unpublished#results")
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// DoorCounts answers GET /api/v1/door/counts: today's live numbers (or ?day=).
func (h *DoorAPI) DoorCounts(c *gin.Context) error {
	ev, err := h.event(c)
	if err != nil {
		return err
	}
	day, err := h.day(ev, c.Query("day"))
	if err != nil {
		return err
	}
	counts, err := h.Checkin.Counts(c.Request.Context(), ev.ID, day)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, counts)
	return nil
}

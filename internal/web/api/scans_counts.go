package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// DoorCounts answers GET /api/v1/door/counts: today's live numbers (or ?day=).
func (h *DoorAPI) DoorCounts(c *gin.Context) {
	ev, ok := h.event(c)
	if !ok {
		return
	}
	day := h.Checkin.Today(ev)
	if d, err := parseDay(c.Query("day")); err != nil {
		h.Env.Fail(c, err)
		return
	} else if d != nil {
		day = *d
	}
	counts, err := h.Checkin.Counts(c.Request.Context(), ev.ID, day)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, counts)
}

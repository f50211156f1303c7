package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
)

// AttendanceShow shows an event day's people, to tick who came from a paper
// sign-in list (?day=YYYY-MM-DD; ?all=1 ticks everyone who may be ticked).
func (h *Handler) AttendanceShow(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	day, ok := attendanceDay(e, c.Query("day"), h.Checkin.Today(e))
	if !ok {
		return apperr.ErrNotFound
	}
	return h.attendance(c, http.StatusOK, e, day, nil, c.Query("all") == "1", newForm(nil))
}

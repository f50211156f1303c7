package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorUndo answers POST /api/v1/door/undo: a coordinator cancels an
// admission (a wrong manual admission, a mistaken scan); audited.
func (h *DoorAPI) DoorUndo(c *gin.Context) error {
	var req struct {
		RegistrationID int64  `json:"registration_id"`
		Day            string `json:"day"`
		Reason         string `json:"reason"`
	}
	ev, err := h.eventBody(c, &req)
	if err != nil {
		return err
	}
	if req.RegistrationID <= 0 {
		return &apperr.Invalid{}
	}
	day, err := h.day(ev, req.Day)
	if err != nil {
		return err
	}
	if err := h.Checkin.Undo(c.Request.Context(), httpx.Principal(c), ev.ID, req.RegistrationID, day, req.Reason); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"result": "undone", "day": day.Format("2006-01-02")})
	return nil
}

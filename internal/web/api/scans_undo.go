package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorUndo answers POST /api/v1/door/undo: a coordinator cancels an
// admission (a wrong manual admission, a mistaken scan); audited.
func (h *DoorAPI) DoorUndo(c *gin.Context) {
	ev, ok := h.event(c)
	if !ok {
		return
	}
	var req struct {
		RegistrationID int64  `json:"registration_id"`
		Day            string `json:"day"`
		Reason         string `json:"reason"`
	}
	if err := bind(c, &req); err != nil {
		h.Env.Fail(c, err)
		return
	}
	if req.RegistrationID <= 0 {
		h.Env.Fail(c, &apperr.Invalid{})
		return
	}
	day := h.Checkin.Today(ev)
	if d, err := parseDay(req.Day); err != nil {
		h.Env.Fail(c, err)
		return
	} else if d != nil {
		day = *d
	}
	if err := h.Checkin.Undo(c.Request.Context(), httpx.Principal(c), ev.ID, req.RegistrationID, day, req.Reason); err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"result": "undone", "day": day.Format("2006-01-02")})
}

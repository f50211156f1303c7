package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorAdmit answers POST /api/v1/door/admit: a manual admission at the desk
// with a reason, for a person found by search (and a day_reason for one not
// registered for the day).
func (h *DoorAPI) DoorAdmit(c *gin.Context) {
	ev, ok := h.event(c)
	if !ok {
		return
	}
	var req struct {
		RegistrationID int64  `json:"registration_id"`
		Reason         string `json:"reason"`
		DayReason      string `json:"day_reason"`
		ScanID         string `json:"scan_id"`
		ScannedAt      string `json:"scanned_at"`
		Day            string `json:"day"`
		Offline        bool   `json:"offline"`
	}
	if err := bind(c, &req); err != nil {
		h.Env.Fail(c, err)
		return
	}
	if req.RegistrationID <= 0 {
		h.Env.Fail(c, &apperr.Invalid{})
		return
	}
	m := checkin.Manual{EventID: ev.ID, RegistrationID: req.RegistrationID, Reason: req.Reason, DayReason: req.DayReason,
		ScanID: req.ScanID, Offline: req.Offline}
	if req.ScannedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, req.ScannedAt)
		if err != nil {
			h.Env.Fail(c, &apperr.Invalid{Fields: map[string]string{"scanned_at": "door.error.scanned_at"}})
			return
		}
		m.At = t
	}
	d, err := parseDay(req.Day)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	m.Day = d
	res, err := h.Checkin.AdmitManual(c.Request.Context(), httpx.Principal(c), m)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

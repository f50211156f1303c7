package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorAdmit answers POST /api/v1/door/admit: a manual admission at the desk
// with a reason, for a person found by search (and a day_reason for one not
// registered for the day).
func (h *DoorAPI) DoorAdmit(c *gin.Context) error {
	var req struct {
		RegistrationID int64  `json:"registration_id"`
		Reason         string `json:"reason"`
		DayReason      string `json:"day_reason"`
		ScanID         string `json:"scan_id"`
		ScannedAt      string `json:"scanned_at"`
		Day            string `json:"day"`
		Offline        bool   `json:"offline"`
	}
	ev, err := h.eventBody(c, &req)
	if err != nil {
		return err
	}
	if req.RegistrationID <= 0 {
		return &apperr.Invalid{}
	}
	m := checkin.Manual{EventID: ev.ID, RegistrationID: req.RegistrationID, Reason: req.Reason, DayReason: req.DayReason,
		ScanID: req.ScanID, Offline: req.Offline}
	if m.At, err = parseScannedAt(req.ScannedAt); err != nil {
		return err
	}
	if m.Day, err = parseDay(req.Day); err != nil {
		return err
	}
	res, err := h.Checkin.AdmitManual(c.Request.Context(), httpx.Principal(c), m)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}

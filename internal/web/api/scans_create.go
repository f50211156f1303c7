package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ScanRequest is the body of POST /api/v1/scans.
type ScanRequest struct {
	Payload   string `json:"payload"`
	ScanID    string `json:"scan_id"`
	ScannedAt string `json:"scanned_at"`
	Day       string `json:"day"` // optional; must be the scan's own day
	Method    string `json:"method"`
	// Offline and LocalResult come from queued scans (the batch endpoint sets Offline).
	Offline     bool   `json:"offline"`
	LocalResult string `json:"local_result"`
	// Direction is "in" (the default) or "out": an exit, on an event that counts exits.
	Direction string `json:"direction"`
}

func (h *DoorAPI) toScan(eventID int64, r ScanRequest) (checkin.Scan, error) {
	sc := checkin.Scan{EventID: eventID, Payload: r.Payload, ScanID: r.ScanID, Method: r.Method,
		Offline: r.Offline, Local: r.LocalResult}
	var err error
	if sc.ScannedAt, err = parseScannedAt(r.ScannedAt); err != nil {
		return sc, err
	}
	if sc.Day, err = parseDay(r.Day); err != nil {
		return sc, err
	}
	switch r.Direction {
	case "", "in":
	case "out":
		sc.Out = true
	default:
		return sc, &apperr.Invalid{Fields: map[string]string{"direction": "doormode.error.direction"}}
	}
	if len(r.Payload) > 1000 {
		return sc, &apperr.Invalid{Fields: map[string]string{"payload": "door.error.payload"}}
	}
	return sc, nil
}

// ScanCreate answers POST /api/v1/scans: admit or say why not. Business
// outcomes are 200 with a result; a retry with the same scan_id gets the
// first answer.
func (h *DoorAPI) ScanCreate(c *gin.Context) error {
	var req ScanRequest
	ev, err := h.eventBody(c, &req)
	if err != nil {
		return err
	}
	// A scan sent at once is made now, by the server's clock; queued scans
	// with their own time come through the batch.
	req.Offline, req.LocalResult = false, ""
	sc, err := h.toScan(ev.ID, req)
	if err != nil {
		return err
	}
	// The answer as the scan log holds it, written out as it is.
	body, err := h.Checkin.ScanJSON(c.Request.Context(), httpx.Principal(c), sc)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// BatchItem is the answer for one queued scan: a result, or an error for a
// malformed item (which the device should drop, as a retry cannot succeed).
type BatchItem struct {
	ScanID string          `json:"scan_id"`
	Result *checkin.Result `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// MaxBatch bounds one sync request; a device sends its queue in chunks.
const MaxBatch = 200

// ScanBatch answers POST /api/v1/scans/batch: a device's offline queue, in
// order, each scan with its original time. Every item is settled on its own
// (and idempotent by scan_id), so a partly failed upload is simply re-sent.
func (h *DoorAPI) ScanBatch(c *gin.Context) error {
	var req struct {
		Scans []ScanRequest `json:"scans"`
	}
	ev, err := h.eventBody(c, &req)
	if err != nil {
		return err
	}
	if len(req.Scans) > MaxBatch {
		return &apperr.Invalid{}
	}
	p := httpx.Principal(c)
	out := make([]BatchItem, 0, len(req.Scans))
	for _, r := range req.Scans {
		r.Offline = true
		item := BatchItem{ScanID: r.ScanID}
		sc, err := h.toScan(ev.ID, r)
		if err == nil {
			var res checkin.Result
			if res, err = h.Checkin.Scan(c.Request.Context(), p, sc); err == nil {
				item.Result = &res
			}
		}
		if err != nil {
			if _, bad := apperr.AsInvalid(err); !bad {
				return err // a real failure: the device keeps its queue and retries
			}
			item.Error = "invalid"
		}
		out = append(out, item)
	}
	c.JSON(http.StatusOK, gin.H{"results": out})
	return nil
}

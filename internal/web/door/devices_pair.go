package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// DevicesPair handles POST /admin/devices/:id/pair: another pairing link for
// a live device (a replacement phone); earlier links keep working.
func (h *Handler) DevicesPair(c *gin.Context) error {
	d, ev, err := h.device(c)
	if err != nil {
		return err
	}
	pairing, err := h.Checkin.NewPairing(c.Request.Context(), httpx.Principal(c), d.ID, h.BaseURL)
	if err != nil {
		return err
	}
	return h.renderDevices(c, http.StatusOK, ev.Slug, &pairing, "", nil)
}

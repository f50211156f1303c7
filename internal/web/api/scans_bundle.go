package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorBundle answers GET /api/v1/door/bundle: the offline data of the
// caller's event (keys, revocations, allowed people without contact data).
func (h *DoorAPI) DoorBundle(c *gin.Context) {
	ev, ok := h.event(c)
	if !ok {
		return
	}
	var dev *checkin.BundleDevice
	if p := httpx.Principal(c); p.IsDevice() {
		dev = &checkin.BundleDevice{ID: p.DeviceID, Name: p.Name}
	}
	b, err := h.Checkin.Bundle(c.Request.Context(), ev, dev)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

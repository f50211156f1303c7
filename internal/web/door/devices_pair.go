package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DevicesPair handles POST /admin/devices/:id/pair: another pairing link for
// a live device (a replacement phone); earlier links keep working.
func (h *Handler) DevicesPair(c *gin.Context) {
	ctx := c.Request.Context()
	id, ok := parseID(c.Param("id"))
	if !ok {
		h.Env.FailStatus(c, http.StatusNotFound)
		return
	}
	_, ev, err := h.Env.Objects.Device(c, auth.Manage, id)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	pairing, err := h.Checkin.NewPairing(ctx, httpx.Principal(c), id, h.BaseURL)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	h.renderDevices(c, http.StatusOK, ev.Slug, &pairing, "", nil)
}

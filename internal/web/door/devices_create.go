package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DevicesCreate handles POST /admin/devices: a new device for an event,
// whose pairing link and QR code are shown once.
func (h *Handler) DevicesCreate(c *gin.Context) error {
	slug, name := c.PostForm("event"), c.PostForm("name")
	ev, err := h.Env.Objects.Event(c, auth.Manage, slug)
	if err != nil {
		return err
	}
	pairing, err := h.Checkin.AddDevice(c.Request.Context(), httpx.Principal(c), ev.ID, name, h.BaseURL)
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.renderDevices(c, http.StatusUnprocessableEntity, slug, nil, name, inv.Fields)
	}
	if err != nil {
		return err
	}
	return h.renderDevices(c, http.StatusOK, slug, &pairing, "", nil)
}

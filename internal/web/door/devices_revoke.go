package door

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// DevicesRevoke handles POST /admin/devices/:id/revoke: the device's tokens
// stop working at once (its next request gets 401).
func (h *Handler) DevicesRevoke(c *gin.Context) error {
	d, ev, err := h.device(c)
	if err != nil {
		return err
	}
	if _, err := h.Checkin.RevokeDevice(c.Request.Context(), httpx.Principal(c), d.ID); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/devices?event="+url.QueryEscape(ev.Slug))
	return nil
}

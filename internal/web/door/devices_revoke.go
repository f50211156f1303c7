package door

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DevicesRevoke handles POST /admin/devices/:id/revoke: the device's tokens
// stop working at once (its next request gets 401).
func (h *Handler) DevicesRevoke(c *gin.Context) {
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
	if _, err := h.Checkin.RevokeDevice(ctx, httpx.Principal(c), id); err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/devices?event="+url.QueryEscape(ev.Slug))
}

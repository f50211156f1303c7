package door

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorMode handles POST /admin/events/:slug/door-mode: whether the event's
// door counts exits (counts_exits=1) or only entries.
func (h *Handler) DoorMode(c *gin.Context) error {
	ev, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	on := c.PostForm("counts_exits") == "1"
	if err := h.Checkin.SetCountsExits(c.Request.Context(), httpx.Principal(c), ev.ID, on); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/devices?event="+url.QueryEscape(ev.Slug))
	return nil
}

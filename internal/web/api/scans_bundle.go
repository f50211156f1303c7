package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorBundle answers GET /api/v1/door/bundle: the offline data of the
// caller's event (keys, revocations, allowed people without contact data).
func (h *DoorAPI) DoorBundle(c *gin.Context) {
	ev, ok := h.event(c)
	if !ok {
		return
	}
	b, err := h.Checkin.ExportBundle(c.Request.Context(), httpx.Principal(c), ev)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

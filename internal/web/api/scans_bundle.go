package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorBundle answers GET /api/v1/door/bundle: the offline data of the
// caller's event (keys, revocations, allowed people without contact data).
func (h *DoorAPI) DoorBundle(c *gin.Context) error {
	ev, err := h.event(c)
	if err != nil {
		return err
	}
	b, err := h.Checkin.ExportBundle(c.Request.Context(), httpx.Principal(c), ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, b)
	return nil
}

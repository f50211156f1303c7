package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// DoorSearch answers GET /api/v1/door/search?q=: people of the event by
// name, e-mail address or ticket code (the answer holds no contact data).
func (h *DoorAPI) DoorSearch(c *gin.Context) error {
	ev, err := h.event(c)
	if err != nil {
		return err
	}
	found, err := h.Checkin.Search(c.Request.Context(), ev.ID, c.Query("q"), h.Checkin.Today(ev))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"people": found})
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

type eventsData struct {
	Events []eventRow
	States []string
}

// EventsList lists events with quick controls for registration and capacity.
func (h *Handler) EventsList(c *gin.Context) error {
	rows, err := h.eventRows(c)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "events", "admin.events.title",
		newForm(eventsData{Events: rows, States: setup.RegistrationStates}).done(c))
	return nil
}

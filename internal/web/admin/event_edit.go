package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// EventEdit shows an event's form and its days.
func (h *Handler) EventEdit(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	return h.eventForm(c, http.StatusOK, eventForm{Event: e, Input: setup.InputOf(e)}, newForm(nil).done(c))
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// SessionEdit shows the editor of one of the event's sessions.
func (h *Handler) SessionEdit(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	s, err := h.session(c, e)
	if err != nil {
		return err
	}
	d := sessionForm{Event: e, ID: s.ID, Input: setup.SessionInputOf(s)}
	return h.sessionForm(c, http.StatusOK, d, newForm(nil).done(c))
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// SessionNew shows the editor of a new session, on the ?day= given.
func (h *Handler) SessionNew(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := setup.SessionInput{Day: c.Query("day")}
	return h.sessionForm(c, http.StatusOK, sessionForm{New: true, Event: e, Input: in}, newForm(nil))
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// EventNew shows an empty event form.
func (h *Handler) EventNew(c *gin.Context) error {
	in := setup.EventInput{RegistrationState: "auto", TimeZone: "Europe/Riga", Title: map[string]string{},
		Description: map[string]string{}}
	if ps, err := h.Store.Projects(c.Request.Context(), h.Store.DB); err == nil && len(ps) > 0 {
		in.ProjectID = ps[0].ID
	}
	return h.eventForm(c, http.StatusOK, eventForm{New: true, Input: in}, newForm(nil))
}

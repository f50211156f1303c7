package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventSave saves an event's form.
func (h *Handler) EventSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := eventInput(c)
	in.ProjectID = e.ProjectID
	saved, err := h.Manage.UpdateEvent(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+saved.Slug+"?done=saved", func(f *form) error {
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: in}, f)
	})
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventSave saves an event's form.
func (h *Handler) EventSave(c *gin.Context) {
	e, err := h.event(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	in := eventInput(c)
	in.ProjectID = e.ProjectID
	saved, err := h.Manage.UpdateEvent(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: in}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/events/"+saved.Slug+"?done=saved")
}

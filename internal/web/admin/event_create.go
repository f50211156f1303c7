package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCreate adds an event.
func (h *Handler) EventCreate(c *gin.Context) {
	in := eventInput(c)
	pid, err := parseOptionalID(c.PostForm("project"))
	if err != nil || pid == nil {
		f := newForm(nil)
		f.Errors["project"], f.Message, f.Kind = "admin.error.project", "admin.form.errors", "error"
		h.eventForm(c, http.StatusUnprocessableEntity, eventForm{New: true, Input: in}, f)
		return
	}
	in.ProjectID = *pid
	e, err := h.Manage.CreateEvent(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.eventForm(c, http.StatusUnprocessableEntity, eventForm{New: true, Input: in}, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=created")
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCreate adds an event.
func (h *Handler) EventCreate(c *gin.Context) error {
	in := eventInput(c)
	var e store.Event
	pid, err := parseOptionalID(c.PostForm("project"))
	if err == nil && pid != nil {
		// A project that does not exist (or is not the caller's) is a form
		// error on its field, not a foreign-key failure in the database.
		if _, perr := h.Env.Objects.ProjectByID(c, auth.Manage, *pid); perr != nil {
			pid = nil
		}
	}
	if err != nil || pid == nil {
		err = &apperr.Invalid{Fields: map[string]string{"project": "admin.error.project"}}
	} else {
		in.ProjectID = *pid
		e, err = h.Manage.CreateEvent(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	}
	return finish(c, err, "/admin/events/"+e.Slug+"?done=created", func(f *form) error {
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{New: true, Input: in}, f)
	})
}

package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCreate answers POST /api/v1/projects/{code}/events: 201 with the event
// and its address, 422 with field messages, 409 when the slug or number is
// taken. Past dates are allowed: a programme's history is entered afterwards.
func (h *ProgrammeAPI) EventCreate(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var b eventBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.EventInput{ProjectID: p.ID, Title: map[string]string{}, Description: map[string]string{},
		RegistrationState: "auto"}
	b.apply(&in)
	e, err := h.Setup.CreateEvent(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	out, err := h.event(c.Request.Context(), e)
	if err != nil {
		return err
	}
	answerCreated(c, "/api/v1/events/"+e.Slug, out)
	return nil
}

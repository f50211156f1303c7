package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionCreate answers POST /api/v1/events/{slug}/sessions: 201 with the
// session, 422 with field messages.
func (h *ProgrammeAPI) SessionCreate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b sessionBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	var in setup.SessionInput
	b.apply(&in)
	s, err := h.Setup.CreateSession(c.Request.Context(), httpx.Principal(c), e, in, c.ClientIP())
	if err != nil {
		return sessionFields(err)
	}
	answerCreated(c, "/api/v1/events/"+e.Slug+"/sessions/"+strconv.FormatInt(s.ID, 10), sessionJSON(s))
	return nil
}

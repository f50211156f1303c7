package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionCreate answers POST /api/v1/events/{slug}/questions: 201 with the
// question, 422 with field messages, 409 when the event already has the key.
func (h *ProgrammeAPI) QuestionCreate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b questionBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	var in setup.QuestionInput
	b.apply(&in)
	q, err := h.Setup.CreateQuestion(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	answerCreated(c, "/api/v1/events/"+e.Slug+"/questions/"+q.Key, questionJSON(q))
	return nil
}

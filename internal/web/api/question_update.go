package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionUpdate answers PATCH /api/v1/events/{slug}/questions/{key}: the
// fields the body names change (options as a whole); 200 with the question.
func (h *ProgrammeAPI) QuestionUpdate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	q, err := h.Store.QuestionByKey(c.Request.Context(), h.Store.DB, e.ID, c.Param("key"))
	if err != nil {
		return err
	}
	var b questionBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.QuestionInputOf(q)
	b.apply(&in)
	saved, err := h.Setup.UpdateQuestion(c.Request.Context(), httpx.Principal(c), e.ID, q.Key, in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	c.JSON(http.StatusOK, questionJSON(saved))
	return nil
}

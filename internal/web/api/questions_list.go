package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// QuestionsList answers GET /api/v1/events/{slug}/questions: the event's own
// questions in their order.
func (h *ProgrammeAPI) QuestionsList(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, questionsJSON(qs))
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionDelete answers DELETE /api/v1/events/{slug}/questions/{key}: the
// question and its answers go; 200 with the question as it was.
func (h *ProgrammeAPI) QuestionDelete(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	q, err := h.Store.QuestionByKey(c.Request.Context(), h.Store.DB, e.ID, c.Param("key"))
	if err != nil {
		return err
	}
	if err := h.Setup.DeleteQuestion(c.Request.Context(), httpx.Principal(c), e.ID, c.Param("key"), c.ClientIP()); err != nil {
		return err
	}
	c.JSON(http.StatusOK, questionJSON(q))
	return nil
}

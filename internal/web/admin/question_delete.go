package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionDelete removes one of the event's questions and its answers.
func (h *Handler) QuestionDelete(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	if err := h.Manage.DeleteQuestion(c.Request.Context(), httpx.Principal(c), e.ID, c.Param("key"), c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=question_deleted#questions")
	return nil
}

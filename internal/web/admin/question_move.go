package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionMove moves one of the event's questions a place up or down.
func (h *Handler) QuestionMove(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	by := 0
	switch c.PostForm("direction") {
	case "up":
		by = -1
	case "down":
		by = 1
	default:
		return &apperr.Invalid{Fields: map[string]string{"direction": "admin.error.required"}}
	}
	if err := h.Manage.MoveQuestion(c.Request.Context(), httpx.Principal(c), e.ID, c.Param("key"), by, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=saved#questions")
	return nil
}

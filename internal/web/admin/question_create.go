package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionCreate adds a question to the event, then shows the event.
func (h *Handler) QuestionCreate(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in, raw, values := questionInput(c)
	_, err = h.Manage.CreateQuestion(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=saved#questions",
		h.questionAgain(c, questionForm{New: true, Event: e, Input: in}, raw, values))
}

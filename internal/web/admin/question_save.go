package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// QuestionSave saves one of the event's questions, then shows the event.
func (h *Handler) QuestionSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	key := c.Param("key")
	if _, err := h.Store.QuestionByKey(c.Request.Context(), h.Store.DB, e.ID, key); err != nil {
		return err
	}
	in, raw, values := questionInput(c)
	_, err = h.Manage.UpdateQuestion(c.Request.Context(), httpx.Principal(c), e.ID, key, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=saved#questions",
		h.questionAgain(c, questionForm{Event: e, Key: key, Input: in}, raw, values))
}

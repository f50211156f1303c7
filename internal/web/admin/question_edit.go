package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
)

// QuestionEdit shows the editor of one of the event's questions.
func (h *Handler) QuestionEdit(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	q, err := h.Store.QuestionByKey(ctx, h.Store.DB, e.ID, c.Param("key"))
	if err != nil {
		return err
	}
	n, err := h.Store.QuestionAnswerCount(ctx, h.Store.DB, q.ID)
	if err != nil {
		return err
	}
	d := questionForm{Event: e, Key: q.Key, Input: setup.QuestionInputOf(q), Answers: n}
	return h.questionForm(c, http.StatusOK, d, newForm(nil).done(c))
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// QuestionNew shows the editor of a new question of the event.
func (h *Handler) QuestionNew(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := setup.QuestionInput{Kind: store.QuestionShortText}
	return h.questionForm(c, http.StatusOK, questionForm{New: true, Event: e, Input: in}, newForm(nil))
}

package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// questionFields are event e's own questions on a staff form: answers are
// what was posted (or stored), the problems those of f.
func (h *Handler) questionFields(c *gin.Context, e store.Event, answers map[string][]string, f *form) ([]view.QuestionField, error) {
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return nil, err
	}
	return view.QuestionFields(h.l(c), qs, "", answers, &apperr.Invalid{Fields: f.Errors}), nil
}

// postedAnswers reads the answers to event e's questions from the posted form.
func (h *Handler) postedAnswers(c *gin.Context, e store.Event) (map[string][]string, error) {
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return nil, err
	}
	if err := httpx.ParseForm(c); err != nil {
		return nil, err
	}
	return view.AnswersFromForm(c.Request.PostForm, qs, ""), nil
}

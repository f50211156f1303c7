package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventTranslationsSave saves an event's texts in every language at once.
func (h *Handler) EventTranslationsSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := textsInput(c, eventTransFields(h, c, e))
	_, err = h.Manage.SaveEventTexts(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"/translations?done=saved", func(f *form) error {
		return h.eventTranslations(c, http.StatusUnprocessableEntity, e, in, f)
	})
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventResultsOrigins stores the sites (the council's own) allowed to frame
// the embeddable results of the event's project.
func (h *Handler) EventResultsOrigins(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	text := c.PostForm("embed_origins")
	_, err = h.Results.SetEmbedOrigins(c.Request.Context(), httpx.Principal(c), e, text, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=embed_origins_saved#results", func(f *form) error {
		f.Values["embed_origins"] = text
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: setup.InputOf(e)}, f)
	})
}

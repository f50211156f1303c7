package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionSave saves one of the event's sessions, then shows the event.
func (h *Handler) SessionSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	s, err := h.session(c, e)
	if err != nil {
		return err
	}
	in := sessionInput(c)
	_, err = h.Manage.UpdateSession(c.Request.Context(), httpx.Principal(c), e, s.ID, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=saved#sessions",
		h.sessionAgain(c, sessionForm{Event: e, ID: s.ID, Input: in}))
}

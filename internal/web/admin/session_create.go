package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionCreate adds a session to one of the event's days, then shows the event.
func (h *Handler) SessionCreate(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := sessionInput(c)
	_, err = h.Manage.CreateSession(c.Request.Context(), httpx.Principal(c), e, in, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=session_added#sessions",
		h.sessionAgain(c, sessionForm{New: true, Event: e, Input: in}))
}

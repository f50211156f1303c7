package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionDelete removes one of the event's sessions.
func (h *Handler) SessionDelete(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	s, err := h.session(c, e)
	if err != nil {
		return err
	}
	if err := h.Manage.DeleteSession(c.Request.Context(), httpx.Principal(c), e, s.ID, c.ClientIP()); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=session_deleted#sessions")
	return nil
}

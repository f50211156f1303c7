package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionUpdate answers PATCH /api/v1/events/{slug}/sessions/{id}: the fields
// the body names change; 200 with the session, 422 with field messages.
func (h *ProgrammeAPI) SessionUpdate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	old, err := h.Store.EventSession(c.Request.Context(), h.Store.DB, e.ID, id)
	if err != nil {
		return err
	}
	var b sessionBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.SessionInputOf(old)
	b.apply(&in)
	s, err := h.Setup.UpdateSession(c.Request.Context(), httpx.Principal(c), e, id, in, c.ClientIP())
	if err != nil {
		return sessionFields(err)
	}
	c.JSON(http.StatusOK, sessionJSON(s))
	return nil
}

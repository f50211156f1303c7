package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// SessionDelete answers DELETE /api/v1/events/{slug}/sessions/{id}: 200 with
// the session as it was.
func (h *ProgrammeAPI) SessionDelete(c *gin.Context) error {
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
	if err := h.Setup.DeleteSession(c.Request.Context(), httpx.Principal(c), e, id, c.ClientIP()); err != nil {
		return err
	}
	c.JSON(http.StatusOK, sessionJSON(old))
	return nil
}

package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// MessageCreate answers POST /api/v1/events/{slug}/messages: a message to a
// segment of the event's participants, 202 with the recipients queued (or,
// with dry_run, counted and rendered one per language, nothing stored).
func (h *MessagesAPI) MessageCreate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var req messageRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	return h.send(c, req.draft(e.ProjectID, &e), req.DryRun)
}

package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// ProjectMessageCreate answers POST /api/v1/projects/{code}/messages: a
// message to a segment of every event of the project (one e-mail per address).
func (h *MessagesAPI) ProjectMessageCreate(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var req messageRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	return h.send(c, req.draft(p.ID, nil), req.DryRun)
}

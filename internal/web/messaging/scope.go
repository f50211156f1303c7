package messaging

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// eventScope loads the path's event under the access rule.
func (h *Handler) eventScope(c *gin.Context) (scope, error) {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return scope{}, err
	}
	p, err := h.Store.Project(c.Request.Context(), h.Store.DB, e.ProjectID)
	if err != nil {
		return scope{}, err
	}
	return scope{project: p, event: &e, base: "/admin/events/" + e.Slug + "/messages", back: "/admin/events/" + e.Slug}, nil
}

// projectScope loads the path's project under the access rule.
func (h *Handler) projectScope(c *gin.Context) (scope, error) {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return scope{}, err
	}
	p, err := h.Env.Objects.ProjectByID(c, auth.Manage, id)
	if err != nil {
		return scope{}, err
	}
	base := "/admin/projects/" + strconv.FormatInt(p.ID, 10) + "/messages"
	return scope{project: p, base: base, back: "/admin/reports/projects/" + p.Code}, nil
}

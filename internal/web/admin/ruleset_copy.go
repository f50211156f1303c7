package admin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetCopy starts a project's own rule set from another (a preset) and
// opens it for editing.
func (h *Handler) RuleSetCopy(c *gin.Context) error {
	from, err := h.Env.Objects.RuleSet(c, auth.Read, c.Param("code"))
	if err != nil {
		return err
	}
	code := c.PostForm("copy_code")
	var projectID *int64
	if v := strings.TrimSpace(c.PostForm("copy_project")); v != "" {
		p, err := h.Env.Objects.Project(c, auth.Manage, v)
		if err != nil {
			return err
		}
		projectID = &p.ID
	}
	rs, err := h.Manage.CopyRuleSet(c.Request.Context(), httpx.Principal(c), from, code, projectID, c.ClientIP())
	return finish(c, err, "/admin/rulesets/"+rs.Code+"?done=copied", func(f *form) error {
		// The copy's faults are the code's or the project's: show them on the
		// page of the set being copied.
		if e, ok := f.Errors["code"]; ok {
			f.Errors["copy_code"] = e
		}
		if e, ok := f.Errors["project"]; ok {
			f.Errors["copy_project"] = e
		}
		f.Values["copy_code"] = code
		return h.ruleSetPage(c, http.StatusUnprocessableEntity, from, f, setup.RuleSetInputOf(from))
	})
}

package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetCreate answers POST /api/v1/rule-sets: a new rule set, empty or a
// copy of copy_of with the body's changes, of a project (or shared); 201,
// 422 with field messages, 409 when the code is taken.
func (h *ProgrammeAPI) RuleSetCreate(c *gin.Context) error {
	var b ruleSetBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.RuleSetInput{Names: map[string]string{}, Thresholds: map[string]string{}}
	if b.CopyOf != "" {
		from, err := h.Env.Objects.RuleSet(c, auth.Read, b.CopyOf)
		if err != nil {
			return &apperr.Invalid{Fields: map[string]string{"copy_of": "rulesets.error.copy_of"}}
		}
		in = setup.RuleSetInputOf(from)
	}
	in.Code = b.Code
	in.ProjectID = nil
	if b.Project.Set && !b.Project.Null {
		p, err := h.Env.Objects.Project(c, auth.Manage, b.Project.V)
		if err != nil {
			return &apperr.Invalid{Fields: map[string]string{"project": "rulesets.error.project"}}
		}
		in.ProjectID = &p.ID
	}
	b.apply(&in)
	rs, err := h.Setup.CreateRuleSet(c.Request.Context(), httpx.Principal(c), in, c.ClientIP())
	if err != nil {
		return ruleSetFields(err)
	}
	out, err := h.ruleSetJSON(c.Request.Context(), rs)
	if err != nil {
		return err
	}
	answerCreated(c, "/api/v1/rule-sets/"+rs.Code, out)
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetUpdate answers PATCH /api/v1/rule-sets/{code}: the fields the body
// names change (a threshold given as null is removed); 200 with the set, 403
// for a shipped preset, which is copied instead.
func (h *ProgrammeAPI) RuleSetUpdate(c *gin.Context) error {
	rs, err := h.Env.Objects.RuleSet(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var b ruleSetBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	// A set's code and owner stay; a copy is made with POST.
	fixed := &apperr.Invalid{}
	for f, named := range map[string]bool{"code": b.Code != "", "copy_of": b.CopyOf != "", "project": b.Project.Set} {
		if named {
			fixed.Add(f, "rulesets.error.fixed")
		}
	}
	if err := fixed.Err(); err != nil {
		return err
	}
	in := setup.RuleSetInputOf(rs)
	b.apply(&in)
	ctx := c.Request.Context()
	if err := h.Setup.UpdateRuleSet(ctx, httpx.Principal(c), rs.ID, in, c.ClientIP()); err != nil {
		return ruleSetFields(err)
	}
	if rs, err = h.Store.RuleSet(ctx, h.Store.DB, rs.ID); err != nil {
		return err
	}
	out, err := h.ruleSetJSON(ctx, rs)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

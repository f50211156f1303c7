package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetsList answers GET /api/v1/rule-sets: the presets and the rule sets
// of the projects the caller may manage.
func (h *ProgrammeAPI) RuleSetsList(c *gin.Context) error {
	ctx := c.Request.Context()
	all, err := h.Store.RuleSets(ctx, h.Store.DB)
	if err != nil {
		return err
	}
	p, now := httpx.Principal(c), h.Now()
	out := []RuleSetJSON{}
	for _, rs := range all {
		if !p.May(auth.Read, auth.RuleSetObject(rs), now) {
			continue
		}
		j, err := h.ruleSetJSON(ctx, rs)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

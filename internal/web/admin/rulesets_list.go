package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// RuleSetsList lists the rule sets (shipped ones read-only).
func (h *Handler) RuleSetsList(c *gin.Context) {
	rs, err := h.Store.RuleSets(c.Request.Context(), h.Store.DB)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "rulesets", "admin.rulesets.title", newForm(rs).done(c))
}

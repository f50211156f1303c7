package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// RuleSetsList lists the rule sets (shipped ones read-only).
func (h *Handler) RuleSetsList(c *gin.Context) error {
	rs, err := h.Store.RuleSets(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "rulesets", "admin.rulesets.title", newForm(rs).done(c))
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetSave validates and saves the editable rule set.
func (h *Handler) RuleSetSave(c *gin.Context) error {
	rs, err := h.ruleSet(c)
	if err != nil {
		return err
	}
	name, rules, countries := c.PostForm("name"), c.PostForm("rules"), c.PostForm("countries")
	err = h.Manage.UpdateRuleSet(c.Request.Context(), httpx.Principal(c), rs.ID, setup.RuleSetInput{Name: name, Rules: rules, Countries: countries}, c.ClientIP())
	return finish(c, err, "/admin/rulesets/"+c.Param("id")+"?done=saved", func(f *form) error {
		h.ruleSetPage(c, http.StatusUnprocessableEntity, rs, f, name, rules, countries)
		return nil
	})
}

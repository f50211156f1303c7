package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/manage"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RuleSetSave validates and saves the editable rule set.
func (h *Handler) RuleSetSave(c *gin.Context) {
	rid, err := id(c, "id")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	rs, err := h.Store.RuleSet(c.Request.Context(), h.Store.DB, rid)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	name, rules, countries := c.PostForm("name"), c.PostForm("rules"), c.PostForm("countries")
	err = h.Manage.UpdateRuleSet(c.Request.Context(), httpx.Principal(c), rid, manage.RuleSetInput{Name: name, Rules: rules, Countries: countries}, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		h.ruleSetPage(c, http.StatusUnprocessableEntity, rs, f, name, rules, countries)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/rulesets/"+c.Param("id")+"?done=saved")
}

package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type ruleSetForm struct {
	RuleSet   store.RuleSet
	CanEdit   bool
	Known     []string
	Name      string
	Rules     string
	Countries string
}

func (h *Handler) ruleSetPage(c *gin.Context, status int, rs store.RuleSet, f *form, name, rules, countries string) {
	d := ruleSetForm{RuleSet: rs, Name: name, Rules: rules, Countries: countries,
		CanEdit: rs.Editable && httpx.Principal(c).Role == auth.RoleAdmin}
	for k := range report.KnownRules {
		d.Known = append(d.Known, k)
	}
	sort.Strings(d.Known)
	f.Data = d
	h.render(c, status, "ruleset", "admin.ruleset.title", f)
}

// ruleSet loads the rule set of the :id parameter.
func (h *Handler) ruleSet(c *gin.Context) (store.RuleSet, error) {
	rid, err := httpx.ID(c, "id")
	if err != nil {
		return store.RuleSet{}, err
	}
	return h.Store.RuleSet(c.Request.Context(), h.Store.DB, rid)
}

// RuleSetEdit shows a rule set; the editable one as a form.
func (h *Handler) RuleSetEdit(c *gin.Context) error {
	rs, err := h.ruleSet(c)
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, rs.Rules, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(rs.Rules)
	}
	h.ruleSetPage(c, http.StatusOK, rs, newForm(nil).done(c), rs.Name, pretty.String(),
		strings.Join(rs.EligibleCountries, " "))
	return nil
}

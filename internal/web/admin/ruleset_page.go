package admin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// thresholdField is one threshold input of the rule set editor.
type thresholdField struct {
	Key, ID, Value string
	Share, Max     bool
}

type ruleSetPage struct {
	RuleSet    store.RuleSet
	In         setup.RuleSetInput
	CanEdit    bool
	CanCopy    bool
	Languages  []string
	PerEvent   []thresholdField
	PerProject []thresholdField
	Bases      []string
	Projects   []store.Project // the copy's owner to choose from
	Owner      string          // the owning project's code, "" for a preset
	OwnerID    int64
}

func (h *Handler) ruleSetPage(c *gin.Context, status int, rs store.RuleSet, f *form, in setup.RuleSetInput) error {
	admin := httpx.Principal(c).Role == auth.RoleAdmin
	d := ruleSetPage{RuleSet: rs, In: in, CanEdit: rs.Editable && admin, CanCopy: admin, Languages: setup.Languages,
		Bases: []string{report.BasisEligible, report.BasisInvited}}
	for _, th := range setup.Thresholds {
		tf := thresholdField{Key: th.Key, ID: "t_" + strings.ReplaceAll(th.Key, ".", "_"), Value: in.Thresholds[th.Key], Share: th.Share, Max: th.Max}
		if strings.HasPrefix(th.Key, "event.") {
			d.PerEvent = append(d.PerEvent, tf)
		} else {
			d.PerProject = append(d.PerProject, tf)
		}
	}
	ps, err := h.Store.Projects(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if rs.ProjectID != nil && p.ID == *rs.ProjectID {
			d.Owner, d.OwnerID = p.Code, p.ID
		}
		if httpx.Principal(c).May(auth.Manage, auth.ProjectObject(p.ID), h.Now()) {
			d.Projects = append(d.Projects, p)
		}
	}
	f.Data = d
	h.render(c, status, "ruleset", "rulesets.title.one", f)
	return nil
}

// ruleSetInput reads the editor's fields.
func ruleSetInput(c *gin.Context) setup.RuleSetInput {
	in := setup.RuleSetInput{Names: map[string]string{}, Thresholds: map[string]string{}, Note: c.PostForm("note"),
		Countries: c.PostForm("countries"), LumpBasis: c.PostForm("lump_basis"), LumpText: c.PostForm("lump_sum")}
	for _, l := range setup.Languages {
		in.Names[l] = c.PostForm("name_" + l)
	}
	for _, th := range setup.Thresholds {
		in.Thresholds[th.Key] = c.PostForm("t_" + strings.ReplaceAll(th.Key, ".", "_"))
	}
	return in
}

// RuleSetEdit shows a rule set; an editable one as a form, every one with
// a form to copy it into a project.
func (h *Handler) RuleSetEdit(c *gin.Context) error {
	rs, err := h.Env.Objects.RuleSet(c, auth.Read, c.Param("code"))
	if err != nil {
		return err
	}
	return h.ruleSetPage(c, http.StatusOK, rs, newForm(nil).done(c), setup.RuleSetInputOf(rs))
}

// RuleSetSave validates and saves an editable rule set.
func (h *Handler) RuleSetSave(c *gin.Context) error {
	rs, err := h.Env.Objects.RuleSet(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	in := ruleSetInput(c)
	err = h.Manage.UpdateRuleSet(c.Request.Context(), httpx.Principal(c), rs.ID, in, c.ClientIP())
	return finish(c, err, "/admin/rulesets/"+rs.Code+"?done=saved", func(f *form) error {
		in.Code, in.ProjectID = rs.Code, rs.ProjectID
		return h.ruleSetPage(c, http.StatusUnprocessableEntity, rs, f, in)
	})
}

// RulesetsList lists the presets and the rule sets of the caller's projects.
func (h *Handler) RuleSetsList(c *gin.Context) error {
	all, err := h.Store.RuleSets(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	var rs []store.RuleSet
	p := httpx.Principal(c)
	for _, r := range all {
		if p.May(auth.Read, auth.RuleSetObject(r), h.Now()) {
			rs = append(rs, r)
		}
	}
	h.render(c, http.StatusOK, "rulesets", "admin.rulesets.title", newForm(rs).done(c))
	return nil
}

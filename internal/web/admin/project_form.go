package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type projectForm struct {
	New       bool
	Project   store.Project
	Input     setup.ProjectInput
	RuleSets  []store.RuleSet
	Partners  []store.Partner
	Partner   setup.PartnerInput // the add-a-partner form
	Languages []string
	// Checklists are each event's set-up checklist.
	Checklists []eventChecklist
}

type eventChecklist struct {
	Event store.Event
	Items []setup.CheckItem
}

func (h *Handler) projectForm(c *gin.Context, status int, d projectForm, f *form) error {
	ctx := c.Request.Context()
	var err error
	// The presets and the project's own sets (a new project: presets only).
	scope := int64(-1)
	if d.Project.ID != 0 {
		scope = d.Project.ID
	}
	if d.RuleSets, err = h.Store.RuleSetsVisible(ctx, h.Store.DB, scope); err != nil {
		return err
	}
	if d.Project.ID != 0 {
		e, err := h.Store.ProjectEvents(ctx, h.Store.DB, d.Project.ID)
		if err != nil {
			return err
		}
		for _, ev := range e {
			items, err := h.Manage.Checklist(ctx, h.Store.DB, ev)
			if err != nil {
				return err
			}
			d.Checklists = append(d.Checklists, eventChecklist{Event: ev, Items: items})
		}
	}
	if d.Project.ID != 0 {
		if d.Partners, err = h.Store.Partners(ctx, h.Store.DB, d.Project.ID); err != nil {
			return err
		}
	}
	d.Languages = setup.Languages
	f.Data = d
	h.render(c, status, "project", title(d.New, "admin.project.new_title", "admin.project.edit_title"), f)
	return nil
}

// project loads the project of the :id parameter.
func (h *Handler) project(c *gin.Context) (store.Project, error) {
	pid, err := httpx.ID(c, "id")
	if err != nil {
		return store.Project{}, err
	}
	return h.Env.Objects.ProjectByID(c, auth.Manage, pid)
}

func projectInput(c *gin.Context) setup.ProjectInput {
	in := setup.ProjectInput{Code: c.PostForm("code"), Title: map[string]string{}, Measure: map[string]string{},
		Acronym: c.PostForm("acronym"), Programme: c.PostForm("programme"), Strand: c.PostForm("strand"),
		GrantRef: c.PostForm("grant_ref"), StartsOn: c.PostForm("starts_on"), EndsOn: c.PostForm("ends_on"),
		Budget: c.PostForm("budget"), RuleSetID: c.PostForm("rule_set"), BalancePaidOn: c.PostForm("balance_paid_on"),
		RetentionYears: c.PostForm("retention_years")}
	for _, lang := range setup.Languages {
		in.Title[lang] = c.PostForm("title_" + lang)
		in.Measure[lang] = c.PostForm("measure_" + lang)
	}
	return in
}

func partnerInput(c *gin.Context) setup.PartnerInput {
	in := setup.PartnerInput{Slug: c.PostForm("slug"), Organisation: c.PostForm("organisation"),
		City: c.PostForm("city"), Country: c.PostForm("country"), Position: c.PostForm("position")}
	// The town's names: only the keys the form posted, so that a form
	// without them (adding a partner) keeps what is saved.
	for _, k := range cityTextKeys() {
		if v, ok := c.GetPostForm("city_" + k); ok {
			if in.CityTexts == nil {
				in.CityTexts = map[string]string{}
			}
			in.CityTexts[k] = v
		}
	}
	return in
}

// cityGenitives are the languages whose published texts decline a town's
// name after "from" (store.Partner.CityTexts "<lang>-gen").
var cityGenitives = []string{"lv", "lt", "pl", "ru"}

// cityTextKeys are the partner form's town names: each language of the
// translation screen, then the genitives.
func cityTextKeys() []string {
	keys := append([]string{}, setup.TranslationLanguages...)
	for _, l := range cityGenitives {
		keys = append(keys, l+"-gen")
	}
	return keys
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// ProjectTranslations shows a project's title and measure and its partners'
// names in every language, the missing ones marked, to fill and save at once.
func (h *Handler) ProjectTranslations(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	return h.projectTranslations(c, http.StatusOK, p, nil, newForm(nil).done(c))
}

func (h *Handler) projectTranslations(c *gin.Context, status int, p store.Project, posted setup.TextsInput, f *form) error {
	fields, err := h.projectTransFields(c, p)
	if err != nil {
		return err
	}
	l := h.l(c)
	d := buildTranslations(l, fields, posted)
	d.Heading = l.T("translations.project_heading", "project", p.Title.In(l.Lang))
	id := strconv.FormatInt(p.ID, 10)
	d.Action = "/admin/projects/" + id + "/translations"
	d.Back = "/admin/projects/" + id
	return h.renderTranslations(c, status, d, f)
}

func (h *Handler) projectTransFields(c *gin.Context, p store.Project) ([]transField, error) {
	partners, err := h.Store.Partners(c.Request.Context(), h.Store.DB, p.ID)
	if err != nil {
		return nil, err
	}
	l := h.l(c)
	f := setup.ProjectTextFields
	out := []transField{
		{TextField: f[0], Label: l.T("translations.field.project_title"), Texts: p.Title},
		{TextField: f[1], Label: l.T("translations.field.measure"), Texts: p.Measure},
	}
	rs, err := h.Manage.OwnRuleSet(c.Request.Context(), h.Store.DB, p)
	if err != nil {
		return nil, err
	}
	if rs != nil {
		out = append(out, transField{TextField: setup.RuleSetField, Texts: rs.Names, Default: rs.Name,
			Label: l.T("translations.field.rule_set")})
	}
	for _, pt := range partners {
		out = append(out, transField{TextField: setup.PartnerField(pt), Texts: pt.OrganisationTexts, Default: pt.Organisation,
			Label: l.T("translations.field.partner", "city", pt.City)})
	}
	return out, nil
}

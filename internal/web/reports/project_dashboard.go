package reports

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type eventColumn struct {
	report.EventReport
	Title string
	Dates string
}

// countryRow is one country across the events (countries over time).
type countryRow struct {
	Country string
	Name    string
	Counts  []int
	Total   int
}

type projectPage struct {
	R          report.ProjectReport
	Title      string
	Projects   []store.Project
	RuleSets   []store.RuleSet
	Query      string
	Events     []eventColumn
	Countries  []countryRow
	EventChart template.HTML
	CountChart template.HTML
	Rules      []ruleRow
	Other      []ruleSetRows
	Text       report.Text
	TextLang   string
	TextLangs  []string
	Grant      *grantTable
}

// ProjectDashboard shows a project's events side by side, the countries over
// time, the project-wide rule checks and the downloads.
func (h *Handler) ProjectDashboard(c *gin.Context) error {
	all, err := h.Store.Projects(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	var projects []store.Project
	for _, p := range all {
		if httpx.Principal(c).May(auth.Manage, auth.ProjectObject(p.ID), h.Now()) {
			projects = append(projects, p)
		}
	}
	code := c.Param("code")
	if code == "" {
		code = c.Query("project")
	}
	if code == "" {
		if p := httpx.Principal(c); p != nil && p.ProjectID != nil {
			for _, pr := range projects {
				if pr.ID == *p.ProjectID {
					code = pr.Code
				}
			}
		}
	}
	if code == "" && len(projects) > 0 {
		code = projects[0].Code
	}
	if code == "" {
		return apperr.ErrNotFound
	}
	if _, err := h.Env.Objects.Project(c, auth.Manage, code); err != nil {
		return err
	}
	o := options(c)
	rep, err := h.Reports.Project(c.Request.Context(), code, o)
	if err != nil {
		return err
	}
	rss, err := h.Store.RuleSetsVisible(c.Request.Context(), h.Store.DB, rep.Project.ID)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	textLang := textLang(c, h.Env.I18n, l)
	p := projectPage{R: rep, Title: rep.Project.Title[l.Lang], Projects: projects, RuleSets: rss, Query: query(o),
		Rules: ruleRows(l, rep.Rules), Other: otherRows(l, rep.OtherRuleSets),
		Text: report.PublishableProject(h.Env.I18n.Localizer(textLang), rep), TextLang: textLang, TextLangs: report.TextLanguages(h.Env.I18n),
		Grant: grantTableOf(l, rep)}
	if p.Title == "" {
		p.Title = rep.Project.Title["en"]
	}
	countries := map[string]*countryRow{}
	var order []string
	var stacks []Stack
	var counts []Bar
	for i, er := range rep.Events {
		first, _ := parseDay(er.Event.FirstDay)
		last, _ := parseDay(er.Event.LastDay)
		title := er.Event.Title[l.Lang]
		if title == "" {
			title = er.Event.Title["en"]
		}
		p.Events = append(p.Events, eventColumn{EventReport: er, Title: title, Dates: l.DateRange(first, last)})
		label := "#" + l.Number(er.Event.Number) + " " + er.Event.City
		stacks = append(stacks, Stack{Label: label, Parts: kindBars(l, er.Counts)})
		counts = append(counts, Bar{Label: label, Value: er.Countries})
		for _, cc := range er.ByCountry {
			row := countries[cc.Country]
			if row == nil {
				row = &countryRow{Country: cc.Country, Name: l.Country(cc.Country), Counts: make([]int, len(rep.Events))}
				countries[cc.Country] = row
				order = append(order, cc.Country)
			}
			row.Counts[i] = cc.Attended
			row.Total += cc.Attended
		}
	}
	for _, k := range order {
		p.Countries = append(p.Countries, *countries[k])
	}
	slices.SortStableFunc(p.Countries, func(a, b countryRow) int { return b.Total - a.Total })
	p.EventChart = Stacks(l.T("report.page.chart_events"), stacks)
	p.CountChart = HBars(l.T("report.page.chart_event_countries"), counts)
	page := h.Env.NewPage(c, l.T("report.page.project_title", "title", p.Title), p)
	page.BodyClass = "reports"
	h.Env.HTML(c, http.StatusOK, "reports/project.html", page)
	return nil
}

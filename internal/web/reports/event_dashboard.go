package reports

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type dayChart struct {
	Date  string
	Chart template.HTML
}

type listLink struct {
	Key, Title string
	Rows       int
	Counted    bool
	SHA256     string
}

type eventPage struct {
	R            report.EventReport
	Title        string
	Dates        string
	Query        string // ?rules=...&raw=1 carried to links
	RuleSets     []store.RuleSet
	Text         report.Text
	TextLang     string
	TextLangs    []string
	CountryChart template.HTML
	KindChart    template.HTML
	Arrivals     []dayChart
	Lists        []listLink
	Counted      int
	Columns      []string
	Default      []string
	Rules        []ruleRow
	Other        []ruleSetRows
	// ResultsAt is when the public results page went public (nil: not).
	ResultsAt *time.Time
	Grant     *grantRow
}

type ruleRow struct {
	Name, Target, Actual string
	Met, Unknown         bool
	Events               []eventVerdict
}

type eventVerdict struct {
	Number int
	Actual string
	Met    bool
}

type ruleSetRows struct {
	Code, Name string
	Attended   int
	Rules      []ruleRow
}

func ruleRows(l *i18n.Localizer, rs []report.RuleResult) []ruleRow {
	out := make([]ruleRow, 0, len(rs))
	for _, r := range rs {
		row := ruleRow{Name: l.T("report.rule." + r.Rule), Target: report.RuleTarget(l, r), Actual: report.RuleActual(l, r),
			Met: r.Met, Unknown: r.Unknown}
		if r.Unknown {
			row.Name = r.Rule
		}
		for _, ev := range r.Events {
			actual := l.Number(int(ev.Actual))
			if ev.Numerator != nil && ev.Denominator != nil {
				actual = fmt.Sprintf("%s (%d/%d)", l.Percent(ev.Actual), *ev.Numerator, *ev.Denominator)
			}
			if ev.Status != "past" {
				actual += " (" + l.T("report.event_status."+ev.Status) + ")"
			}
			row.Events = append(row.Events, eventVerdict{Number: ev.Number, Actual: actual, Met: ev.Met})
		}
		out = append(out, row)
	}
	return out
}

func otherRows(l *i18n.Localizer, rs []report.RuleSetResult) []ruleSetRows {
	var out []ruleSetRows
	for _, r := range rs {
		out = append(out, ruleSetRows{Code: r.Code, Name: r.Name, Attended: r.Attended, Rules: ruleRows(l, r.Rules)})
	}
	return out
}

// EventDashboard shows an event's report: figures, tables, charts, rule
// checks, the publishable text and the downloads.
func (h *Handler) EventDashboard(c *gin.Context) error {
	e, err := h.visibleEvent(c)
	if err != nil {
		return err
	}
	o := options(c)
	ls, err := h.Reports.EventListsSummary(c.Request.Context(), e.Slug, o)
	if err != nil {
		return err
	}
	rep := ls.Report
	rss, err := h.Store.RuleSetsVisible(c.Request.Context(), h.Store.DB, e.ProjectID)
	if err != nil {
		return err
	}
	arrivals, err := h.Store.Arrivals(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	textLang := textLang(c, h.Env.I18n, l)
	p := eventPage{R: rep, Title: e.Title.In(l.Lang), Dates: l.DateRange(e.FirstDay, e.LastDay), Query: query(o),
		RuleSets: rss, TextLang: textLang, TextLangs: report.TextLanguages(h.Env.I18n),
		Text:    report.Publishable(h.Env.I18n.Localizer(textLang), rep),
		Columns: report.ParticipantColumns, Default: report.DefaultParticipantColumns, Counted: ls.Counted(),
		Rules: ruleRows(l, rep.Rules), Other: otherRows(l, rep.OtherRuleSets),
		Grant: grantRowOf(l, rep.Event.Number, rep.Event.Slug, rep.Grant)}
	if p.ResultsAt, err = h.Store.ResultsPublishedAt(c.Request.Context(), h.Store.DB, e.ID); err != nil {
		return err
	}
	if o.Raw {
		// Unsuppressed small counts of age band and gender are personal data.
		if err := h.auditExport(c, "export.raw_counts", "event", e.Slug, map[string]any{"view": "dashboard"}); err != nil {
			return err
		}
	}
	var bars []report.CountryCount
	bars = append(bars, rep.ByCountry...)
	var cb []Bar
	for _, cc := range bars {
		cb = append(cb, Bar{Label: l.Country(cc.Country), Value: cc.Attended})
	}
	p.CountryChart = HBars(l.T("report.page.chart_countries"), cb)
	p.KindChart = HBars(l.T("report.page.chart_kinds"), kindBars(l, rep.Counts))
	byDay := map[string][]store.ArrivalSlot{}
	var days []string
	for _, a := range arrivals {
		k := a.Day.Format("2006-01-02")
		if _, ok := byDay[k]; !ok {
			days = append(days, k)
		}
		byDay[k] = append(byDay[k], a)
	}
	for _, d := range days {
		t, _ := time.Parse("2006-01-02", d)
		label := l.T("report.page.chart_arrivals", "date", l.Date(t))
		p.Arrivals = append(p.Arrivals, dayChart{Date: l.Date(t), Chart: Histogram(label, byDay[d])})
	}
	for _, li := range ls.Lists {
		p.Lists = append(p.Lists, listLink{Key: li.Key, Title: report.ListTitle(l, li), Rows: len(li.Rows),
			Counted: li.Kind != report.ListNonEligible, SHA256: li.SHA256})
	}
	page := h.Env.NewPage(c, l.T("report.page.event_title", "title", p.Title), p)
	page.BodyClass = "reports"
	h.Env.HTML(c, http.StatusOK, "reports/event.html", page)
	return nil
}

// query keeps the chosen rule set and raw flag on the page's links.
func query(o report.Options) string {
	q := ""
	if o.RuleSet != "" {
		q += "&rules=" + url.QueryEscape(o.RuleSet)
	}
	if o.Raw {
		q += "&raw=1"
	}
	if q == "" {
		return ""
	}
	return fmt.Sprintf("?%s", q[1:])
}

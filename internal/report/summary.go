package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/decode-attend/attend/internal/i18n"
)

// WriteEventText writes an event report for a terminal: figures, countries,
// cities, days, rule checks and the publishable text.
func WriteEventText(w io.Writer, l *i18n.Localizer, r EventReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", l.T("report.page.event_title", "title", titleIn(r.Event.Title, l.Lang)))
	fmt.Fprintf(tw, "%s · %s, %s · %s – %s\n", r.Event.Slug, r.Event.City, l.Country(r.Event.Country), r.Event.FirstDay, r.Event.LastDay)
	fmt.Fprintf(tw, "%s: %s\n\n", l.T("report.page.rule_set"), r.RuleSet.Name)
	writeCountsText(tw, l, r.Counts)
	if len(r.Days) > 0 {
		fmt.Fprintf(tw, "\n%s\n", l.T("report.page.days"))
		for _, d := range r.Days {
			fmt.Fprintf(tw, "  %s\t%d\t(%d)\n", d.Date, d.Attended, d.AttendedAll)
		}
	}
	writeRulesText(tw, l, r.Rules)
	fmt.Fprintf(tw, "\n%s\n", l.T("report.page.text"))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s\n", Publishable(l, r).Plain)
	return err
}

// WriteProjectText writes a project report for a terminal.
func WriteProjectText(w io.Writer, l *i18n.Localizer, r ProjectReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", l.T("report.page.project_title", "title", titleIn(r.Project.Title, l.Lang)))
	fmt.Fprintf(tw, "%s · %s\n", r.Project.GrantRef, r.RuleSet.Name)
	fmt.Fprintf(tw, "%s: %d\n\n", l.T("report.metric.events_held"), r.Held)
	fmt.Fprintf(tw, "#\t%s\t%s\t%s\t%s\t%s\t%s\n", l.T("report.col.title"), l.T("report.metric.attended"),
		l.T("report.metric.local"), l.T("report.metric.invited"), l.T("report.metric.invited_share"), l.T("report.metric.countries"))
	for _, e := range r.Events {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%s\t%d\n", e.Event.Number, titleIn(e.Event.Title, l.Lang), e.Attended, e.Local,
			e.Invited, l.Percent(e.InvitedShare), e.Countries)
	}
	fmt.Fprintln(tw)
	writeCountsText(tw, l, r.Counts)
	writeRulesText(tw, l, r.Rules)
	return tw.Flush()
}

func writeCountsText(w io.Writer, l *i18n.Localizer, c Counts) {
	for _, m := range SummaryMetrics(c) {
		v := fmt.Sprint(m.Value)
		if f, ok := m.Value.(float64); ok {
			v = l.Percent(f)
		}
		fmt.Fprintf(w, "%s\t%s\n", l.T("report.metric."+m.Key), v)
	}
	if len(c.ByCountry) > 0 {
		fmt.Fprintf(w, "\n%s\n", l.T("report.page.by_country"))
		for _, cc := range c.ByCountry {
			fmt.Fprintf(w, "  %s\t%d\t%s\n", l.Country(cc.Country), cc.Attended, strings.Join(cc.Cities, ", "))
		}
	}
	if len(c.NonEligible) > 0 {
		fmt.Fprintf(w, "\n%s\n", l.T("report.page.non_eligible"))
		for _, cc := range c.NonEligible {
			fmt.Fprintf(w, "  %s\t%d\n", l.Country(cc.Country), cc.Attended)
		}
	}
}

func writeRulesText(w io.Writer, l *i18n.Localizer, rs []RuleResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", l.T("report.page.rules"))
	for _, r := range rs {
		verdict := l.T("report.rule.not_met")
		if r.Met {
			verdict = l.T("report.rule.met")
		}
		if r.Unknown {
			verdict = l.T("report.rule.unknown")
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", l.T("report.rule."+r.Rule), RuleTarget(l, r), RuleActual(l, r), verdict)
	}
}

package reports

import (
	"math"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
)

// grantRow is one event's lump sum as the dashboards show it: amounts in
// whole euros, formatted for the reader's language.
type grantRow struct {
	Number                 int
	Slug                   string
	Basis                  string
	Participants           int
	Earned, Planned        string // Planned "" when not entered
	MoreParticipant        string // "+5,000", or "" when one more changes nothing
	MoreCountry            string
	InBand, Short, HasPlan bool
}

func eur(l *i18n.Localizer, v float64) string { return l.Number(int(math.Round(v))) }

func plus(l *i18n.Localizer, v float64) string {
	if v < 0.005 {
		return ""
	}
	return "+" + eur(l, v)
}

func grantRowOf(l *i18n.Localizer, number int, slug string, g *report.Earned) *grantRow {
	if g == nil {
		return nil
	}
	r := &grantRow{Number: number, Slug: slug, Basis: g.Basis, Participants: g.Participants, Earned: eur(l, g.EUR),
		MoreParticipant: plus(l, g.OneMoreParticipant), MoreCountry: plus(l, g.OneMoreCountry), InBand: g.InBand, Short: g.Short()}
	if g.Planned != nil {
		r.Planned, r.HasPlan = eur(l, *g.Planned), true
	}
	return r
}

// grantTable is a project's lump sums, per event and in total.
type grantTable struct {
	Rows            []grantRow
	Earned, Planned string
	Short           bool
}

func grantTableOf(l *i18n.Localizer, rep report.ProjectReport) *grantTable {
	if rep.Grant == nil {
		return nil
	}
	t := &grantTable{Earned: eur(l, rep.Grant.EUR), Planned: eur(l, rep.Grant.Planned), Short: rep.Grant.Short > 0}
	for _, er := range rep.Events {
		if r := grantRowOf(l, er.Event.Number, er.Event.Slug, er.Grant); r != nil {
			t.Rows = append(t.Rows, *r)
		}
	}
	return t
}

package report_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// The event's report and the project's report apply the chosen rule set's
// lump-sum table to the recorded attendance, beside the planned amount; a
// set without a table shows no amounts.
func TestReportGrant(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, err := f.service().Event(ctx, fixtureSlug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if before.Grant != nil {
		t.Fatalf("a grant without a table: %+v", before.Grant)
	}
	n, c := before.Attended, before.Countries
	// A table whose band ends exactly at the event's attendance: one more
	// participant crosses into the next band.
	table := fmt.Sprintf(`{"basis":"eligible","cells":[
		{"participants":{"min":1,"max":%d},"countries":{"min":1,"max":%d},"eur":8000},
		{"participants":{"min":%d},"countries":{"min":1,"max":%d},"eur":11000},
		{"participants":{"min":1,"max":%d},"countries":{"min":%d},"eur":9500},
		{"participants":{"min":%d},"countries":{"min":%d},"eur":12500}]}`, n, c, n+1, c, n, c+1, n+1, c+1)
	rs, err := f.st.RuleSetByCode(ctx, f.st.DB, "efc-not")
	if err != nil {
		t.Fatal(err)
	}
	// The project's countries, so that the counts are those measured above.
	own := store.RuleSet{Code: "fixture-own", Name: "Own", ProjectID: &f.project.ID, Editable: true,
		Rules: store.JSON(`[]`), EligibleCountries: rs.EligibleCountries, LumpSum: store.JSON(table)}
	if err := f.st.CreateRuleSet(ctx, f.st.DB, &own); err != nil {
		t.Fatal(err)
	}
	planned := 9000.0
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE events SET planned_grant_eur = $1 WHERE id = $2`, planned, f.event.ID); err != nil {
		t.Fatal(err)
	}
	rep, err := f.service().Event(ctx, fixtureSlug, report.Options{RuleSet: "fixture-own"})
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Grant
	if g == nil || g.EUR != 8000 || !g.InBand || g.Participants != n || g.Countries != c || g.OneMoreParticipant != 3000 ||
		g.OneMoreCountry != 1500 || g.Planned == nil || *g.Planned != planned || !g.Short() {
		t.Fatalf("event grant = %+v (attended %d, countries %d)", g, n, c)
	}
	prep, err := f.service().Project(ctx, f.project.Code, report.Options{RuleSet: "fixture-own"})
	if err != nil {
		t.Fatal(err)
	}
	if prep.Grant == nil || prep.Grant.EUR != 8000 || prep.Grant.Planned != planned || prep.Grant.Short != 1 ||
		len(prep.Events) != 1 || prep.Events[0].Grant == nil || prep.Events[0].Grant.EUR != 8000 {
		t.Fatalf("project grant = %+v", prep.Grant)
	}
	// Another project's copy is neither listed nor chosen.
	other := store.Project{Code: "other", Title: store.Texts{"en": "Other"}}
	if err := f.st.CreateProject(ctx, f.st.DB, &other); err != nil {
		t.Fatal(err)
	}
	foreign := store.RuleSet{Code: "other-own", Name: "Theirs", ProjectID: &other.ID, Editable: true, EligibleCountries: []string{"LV"}}
	if err := f.st.CreateRuleSet(ctx, f.st.DB, &foreign); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service().Event(ctx, fixtureSlug, report.Options{RuleSet: "other-own"}); err != report.ErrUnknownRuleSet {
		t.Fatalf("another project's rule set applied: %v", err)
	}
	rep, _ = f.service().Event(ctx, fixtureSlug, report.Options{})
	for _, o := range rep.OtherRuleSets {
		if o.Code == "other-own" {
			t.Fatal("another project's rule set listed")
		}
	}
}

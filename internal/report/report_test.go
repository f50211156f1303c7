package report_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// fixture is a hand-built Daugavpils event with known answers:
//   - 20 local participants from Daugavpils;
//   - 11 invited from four partner towns: Lodz 4, Vejle 3, Kaunas 3 (two
//     from Kaunas, one from Vilnius, all with the Kaunas partner), Magdeburg 1;
//   - one person admitted on both days; one admission on day 2 undone;
//   - one Ukrainian participant (not eligible: mentioned, not counted);
//   - one confirmed registration never admitted, one cancelled, one waitlisted.
type fixture struct {
	st      *store.Store
	event   store.Event
	project store.Project
	regs    map[string]int64
}

const fixtureSlug = "fixture-daugavpils"

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	st := dbtest.Open(t)
	f := fixture{st: st, regs: map[string]int64{}}
	rsID, err := programme.EnsureRuleSets(ctx, st, st.DB)
	if err != nil {
		t.Fatal(err)
	}
	f.project = store.Project{Code: "fixture", Title: store.Texts{"en": "Fixture project"}, GrantRef: "REF-1",
		Programme: "Europe for Citizens (2014-2020)", Measure: store.Texts{"en": "Networks of Towns"}, RuleSetID: &rsID}
	if err := st.CreateProject(ctx, st.DB, &f.project); err != nil {
		t.Fatal(err)
	}
	partners := map[string]store.Partner{}
	for i, p := range []struct{ slug, org, city, country string }{
		{"daugavpils", "Daugavpils City Council", "Daugavpils", "LV"},
		{"kaunas", "Kaunas City Municipality", "Kaunas", "LT"},
		{"lodz", "Łódzkie Region", "Lodz", "PL"},
		{"vejle", "Vejle Municipality", "Vejle", "DK"},
		{"magdeburg", "State Capital Magdeburg", "Magdeburg", "DE"},
	} {
		pt := store.Partner{ProjectID: f.project.ID, Slug: p.slug, Organisation: p.org, City: p.city, Country: p.country,
			IsLead: i == 0, Position: i}
		if err := st.CreatePartner(ctx, st.DB, &pt); err != nil {
			t.Fatal(err)
		}
		partners[p.slug] = pt
	}
	host := partners["daugavpils"].ID
	f.event = store.Event{ProjectID: f.project.ID, Slug: fixtureSlug, Number: 1, HostPartnerID: &host,
		Title: store.Texts{"en": "Kick-off meeting", "lv": "Atklāšanas tikšanās"}, Description: store.Texts{"en": "Partners meet."},
		City: "Daugavpils", Country: "LV", FirstDay: day("2018-05-23"), LastDay: day("2018-05-24"), TimeZone: "Europe/Riga"}
	if err := st.CreateEvent(ctx, st.DB, &f.event); err != nil {
		t.Fatal(err)
	}
	days := []time.Time{f.event.FirstDay, f.event.LastDay}
	n := 0
	add := func(key, status, country, city, participation, partner string, admit ...string) int64 {
		n++
		email := fmt.Sprintf("p%d@example.org", n)
		r := store.Registration{EventID: f.event.ID, Status: store.Status(status), FirstName: "Person", LastName: fmt.Sprintf("N%02d", n),
			Email: &email, Country: country, City: city, Participation: store.Participation(participation), Organisation: "Org"}
		if partner != "" {
			id := partners[partner].ID
			r.PartnerID = &id
		}
		if err := st.InsertRegistration(ctx, st.DB, &r, days); err != nil {
			t.Fatal(err)
		}
		for _, d := range admit {
			at := time.Date(2018, 5, day(d).Day(), 7, 10+n, 0, 0, time.UTC)
			a := store.Admission{EventID: f.event.ID, RegistrationID: r.ID, Day: day(d), AdmittedAt: at}
			if err := st.InsertAdmission(ctx, st.DB, &a); err != nil {
				t.Fatal(err)
			}
		}
		if key != "" {
			f.regs[key] = r.ID
		}
		return r.ID
	}
	d1, d2 := "2018-05-23", "2018-05-24"
	for i := 0; i < 20; i++ {
		switch i {
		case 0:
			add("both", "confirmed", "LV", "Daugavpils", "local", "", d1, d2)
		case 1:
			add("undone", "confirmed", "LV", "Daugavpils", "local", "", d1, d2)
		default:
			add("", "confirmed", "LV", "Daugavpils", "local", "", d1)
		}
	}
	for i := 0; i < 4; i++ {
		add("", "confirmed", "PL", "Lodz", "invited", "lodz", d1)
	}
	for i := 0; i < 3; i++ {
		add("", "confirmed", "DK", "Vejle", "invited", "vejle", d1)
	}
	add("", "confirmed", "LT", "Kaunas", "invited", "kaunas", d1)
	add("", "confirmed", "LT", " Kaunas ", "invited", "kaunas", d1) // stray spaces are the same city
	add("", "confirmed", "LT", "Vilnius", "invited", "kaunas", d1)
	add("", "confirmed", "DE", "Magdeburg", "invited", "magdeburg", d1)
	add("ua", "confirmed", "UA", "", "other", "", d1)
	add("noshow", "confirmed", "LV", "Daugavpils", "local", "")
	add("", "cancelled", "LV", "Daugavpils", "local", "")
	add("", "waitlisted", "LT", "Kaunas", "invited", "kaunas")
	// The second local's day-2 admission is taken back: day 2 counts one person.
	if _, err := st.DB.ExecContext(ctx, `UPDATE admissions SET undone_at = now() WHERE registration_id = $1 AND day = $2`,
		f.regs["undone"], day(d2)); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) service() *report.Service {
	s := report.New(f.st, time.Now)
	s.Now = func() time.Time { return time.Date(2018, 6, 1, 12, 0, 0, 0, time.UTC) }
	return s
}

func bundle(t testing.TB) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFixtureEventCounts(t *testing.T) {
	f := newFixture(t)
	rep, err := f.service().Event(context.Background(), fixtureSlug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"registered", rep.Registered, 34},
		{"confirmed", rep.Confirmed, 33},
		{"waitlisted", rep.Waitlisted, 1},
		{"cancelled", rep.Cancelled, 1},
		{"pending", rep.Pending, 0},
		{"attended", rep.Attended, 31},
		{"attended_all", rep.AttendedAll, 32},
		{"no_shows", rep.NoShows, 1},
		{"local", rep.Local, 20},
		{"invited", rep.Invited, 11},
		{"other", rep.Other, 0},
		{"countries", rep.Countries, 5},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if want := 11.0 / 31.0; math.Abs(rep.InvitedShare-want) > 1e-12 {
		t.Errorf("invited share = %v, want 11/31", rep.InvitedShare)
	}
	// Everyone registered for both days; the cancelled registration does not count.
	wantDays := []report.DayCount{{Date: "2018-05-23", Attended: 31, AttendedAll: 32, Registered: 34},
		{Date: "2018-05-24", Attended: 1, AttendedAll: 1, Registered: 34}}
	if !slices.Equal(rep.Days, wantDays) {
		t.Errorf("days = %+v, want %+v", rep.Days, wantDays)
	}
	var countries []string
	for _, c := range rep.ByCountry {
		countries = append(countries, fmt.Sprintf("%s:%d", c.Country, c.Attended))
	}
	if got, want := strings.Join(countries, " "), "LV:20 PL:4 DK:3 LT:3 DE:1"; got != want {
		t.Errorf("by country = %s, want %s (host first, then most)", got, want)
	}
	if len(rep.NonEligible) != 1 || rep.NonEligible[0].Country != "UA" || rep.NonEligible[0].Attended != 1 {
		t.Errorf("non-eligible = %+v, want UA:1", rep.NonEligible)
	}
	var cities []string
	for _, c := range rep.ByCity {
		cities = append(cities, fmt.Sprintf("%s/%s/%s/%s:%d", c.City, c.Country, c.Kind, c.Partner, c.Attended))
	}
	wantCities := []string{"Daugavpils/LV/local/:20", "Lodz/PL/invited/lodz:4", "Vejle/DK/invited/vejle:3",
		"Kaunas/LT/invited/kaunas:2", "Magdeburg/DE/invited/magdeburg:1", "Vilnius/LT/invited/kaunas:1"}
	if !slices.Equal(cities, wantCities) {
		t.Errorf("by city = %v, want %v", cities, wantCities)
	}
	verdicts := map[string]bool{}
	for _, r := range rep.Rules {
		verdicts[r.Rule] = r.Met
	}
	if len(rep.Rules) != 2 || !verdicts["invited_share_per_event"] || !verdicts["max_event_days"] {
		t.Errorf("efc-not event rules = %+v, want invited share and duration met", rep.Rules)
	}
	for _, r := range rep.Rules {
		if r.Rule == "invited_share_per_event" && (*r.Numerator != 11 || *r.Denominator != 31) {
			t.Errorf("invited share rule numbers = %d/%d, want 11/31", *r.Numerator, *r.Denominator)
		}
	}
	var cerv *report.RuleSetResult
	for i := range rep.OtherRuleSets {
		if rep.OtherRuleSets[i].Code == "cerv-tt" {
			cerv = &rep.OtherRuleSets[i]
		}
	}
	if cerv == nil || len(cerv.Rules) != 2 {
		t.Fatalf("cerv-tt verdicts missing: %+v", rep.OtherRuleSets)
	}
	for _, r := range cerv.Rules {
		// CERV counts Ukraine among its eligible countries: 32 there.
		want := map[string]float64{"min_participants_per_event": 32, "min_invited_per_event": 11}[r.Rule]
		if r.Met || r.Actual != want {
			t.Errorf("cerv-tt %s: met=%v actual=%v, want not met with %v", r.Rule, r.Met, r.Actual, want)
		}
	}

}

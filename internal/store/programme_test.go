package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// seedProject creates a rule set, a project with two partners and one event.
func seedProject(t *testing.T, st *store.Store) (store.Project, []store.Partner, store.Event) {
	t.Helper()
	ctx := context.Background()
	rs := store.RuleSet{Code: "r1", Name: "Rules", Rules: store.JSON(`[{"rule":"min_events","min":4}]`), EligibleCountries: []string{"LV", "LT"}}
	if err := st.CreateRuleSet(ctx, st.DB, &rs); err != nil {
		t.Fatal(err)
	}
	p := store.Project{Code: "p1", Title: store.Texts{"en": "Project", "lv": "Projekts"}, RuleSetID: &rs.ID}
	if err := st.CreateProject(ctx, st.DB, &p); err != nil {
		t.Fatal(err)
	}
	var parts []store.Partner
	for i, c := range [][3]string{{"daugavpils", "Daugavpils", "LV"}, {"kaunas", "Kaunas", "LT"}} {
		pt := store.Partner{ProjectID: p.ID, Slug: c[0], Organisation: "Org " + c[1], City: c[1], Country: c[2], IsLead: i == 0, Position: i}
		if err := st.CreatePartner(ctx, st.DB, &pt); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, pt)
	}
	capacity := 10
	e := store.Event{ProjectID: p.ID, Slug: "e1", Number: 1, HostPartnerID: &parts[0].ID,
		Title: store.Texts{"en": "Kick-off"}, City: "Daugavpils", Country: "LV",
		FirstDay: day("2018-05-23"), LastDay: day("2018-05-24"), TimeZone: "Europe/Riga", Capacity: &capacity}
	if err := st.CreateEvent(ctx, st.DB, &e); err != nil {
		t.Fatal(err)
	}
	return p, parts, e
}

func TestProgrammeStore(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	p, parts, e := seedProject(t, st)

	rs, err := st.RuleSetByCode(ctx, st.DB, "r1")
	if err != nil || rs.Name != "Rules" || len(rs.EligibleCountries) != 2 || string(rs.Rules) == "" {
		t.Fatalf("RuleSetByCode: %+v %v", rs, err)
	}
	// The four funders' presets come with the schema (migration 0085).
	if all, err := st.RuleSets(ctx, st.DB); err != nil || len(all) != 5 {
		t.Fatalf("RuleSets: %d %v", len(all), err)
	}
	if _, err := st.RuleSetByCode(ctx, st.DB, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing rule set: %v", err)
	}
	dup := store.RuleSet{Code: "r1", Name: "again"}
	if err := st.CreateRuleSet(ctx, st.DB, &dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate rule set code: %v", err)
	}

	got, err := st.ProjectByCode(ctx, st.DB, "p1")
	if err != nil || got.ID != p.ID || got.Title.In("lv") != "Projekts" || got.Title.In("de") != "Project" || got.RetentionYears != 5 {
		t.Fatalf("ProjectByCode: %+v %v", got, err)
	}
	if byID, err := st.Project(ctx, st.DB, p.ID); err != nil || byID.Code != "p1" {
		t.Fatalf("Project: %+v %v", byID, err)
	}
	if ps, err := st.Projects(ctx, st.DB); err != nil || len(ps) != 1 {
		t.Fatalf("Projects: %v %v", ps, err)
	}

	list, err := st.Partners(ctx, st.DB, p.ID)
	if err != nil || len(list) != 2 || !list[0].IsLead || list[1].Slug != "kaunas" {
		t.Fatalf("Partners: %+v %v", list, err)
	}
	if pt, err := st.Partner(ctx, st.DB, parts[1].ID); err != nil || pt.City != "Kaunas" {
		t.Fatalf("Partner: %+v %v", pt, err)
	}
	if pt, err := st.PartnerBySlug(ctx, st.DB, p.ID, "kaunas"); err != nil || pt.Country != "LT" {
		t.Fatalf("PartnerBySlug: %+v %v", pt, err)
	}
	second := store.Partner{ProjectID: p.ID, Slug: "x", Organisation: "X", City: "X", Country: "LV", IsLead: true}
	if err := st.CreatePartner(ctx, st.DB, &second); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second lead partner must conflict: %v", err)
	}

	ev, err := st.EventBySlug(ctx, st.DB, "e1")
	if err != nil || ev.ID != e.ID || !ev.FirstDay.Equal(day("2018-05-23")) || ev.TimeZone != "Europe/Riga" || ev.RegistrationState != "auto" {
		t.Fatalf("EventBySlug: %+v %v", ev, err)
	}
	if byID, err := st.Event(ctx, st.DB, e.ID); err != nil || byID.Slug != "e1" {
		t.Fatalf("Event: %+v %v", byID, err)
	}
	if es, err := st.Events(ctx, st.DB); err != nil || len(es) != 1 {
		t.Fatalf("Events: %v %v", es, err)
	}
	if es, err := st.ProjectEvents(ctx, st.DB, p.ID); err != nil || len(es) != 1 {
		t.Fatalf("ProjectEvents: %v %v", es, err)
	}
	if n, err := st.NextEventNumber(ctx, st.DB, p.ID); err != nil || n != e.Number+1 {
		t.Fatalf("NextEventNumber: %d %v", n, err)
	}
	if n, err := st.NextEventNumber(ctx, st.DB, 999999); err != nil || n != 1 {
		t.Fatalf("NextEventNumber of a project without events: %d %v", n, err)
	}
	days, err := st.EventDays(ctx, st.DB, e.ID)
	if err != nil || len(days) != 2 || !days[1].Day.Equal(day("2018-05-24")) {
		t.Fatalf("EventDays: %+v %v", days, err)
	}
	if n := len(ev.Days()); n != 2 {
		t.Fatalf("Days(): %d", n)
	}
	if left := ev.PlacesLeft(); left == nil || *left != 10 {
		t.Fatalf("PlacesLeft: %v", left)
	}

	twenty := 20
	if err := st.SetEventSettings(ctx, st.DB, e.ID, &twenty, "closed"); err != nil {
		t.Fatal(err)
	}
	ev, _ = st.Event(ctx, st.DB, e.ID)
	if *ev.Capacity != 20 || ev.RegistrationOpen(time.Now()) {
		t.Fatalf("settings not applied: %+v", ev)
	}
	if err := st.SetEventSettings(ctx, st.DB, 999999, nil, "open"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown event: %v", err)
	}

	long := store.Event{ProjectID: p.ID, Slug: "too-long", Number: 2, Title: store.Texts{"en": "x"}, City: "X", Country: "LV",
		FirstDay: day("2019-01-01"), LastDay: day("2019-01-22")}
	if err := st.CreateEvent(ctx, st.DB, &long); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("an event over 21 days must be refused: %v", err)
	}
}

func TestRegistrationWindow(t *testing.T) {
	now := time.Date(2019, 5, 1, 12, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Hour), now.Add(time.Hour)
	cases := []struct {
		name          string
		state         string
		opens, closes *time.Time
		want          bool
	}{
		{"auto open", "auto", &before, &after, true},
		{"auto not yet", "auto", &after, nil, false},
		{"auto closed", "auto", nil, &before, false},
		{"forced open", "open", nil, &before, true},
		{"forced closed", "closed", &before, &after, false},
	}
	for _, c := range cases {
		e := store.Event{RegistrationState: c.state, RegistrationOpensAt: c.opens, RegistrationClosesAt: c.closes}
		if got := e.RegistrationOpen(now); got != c.want {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
}

func TestInTxRollsBack(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := st.InTx(ctx, func(tx *sqlx.Tx) error {
		p := store.Project{Code: "rolled-back", Title: store.Texts{"en": "x"}}
		if err := st.CreateProject(ctx, tx, &p); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v", err)
	}
	if _, err := st.ProjectByCode(ctx, st.DB, "rolled-back"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled back project exists: %v", err)
	}
}

func TestCapacityCheckHolds(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	_, _, e := seedProject(t, st)
	// The CHECK constraint refuses more confirmed seats than capacity.
	_, err := st.DB.ExecContext(ctx, `UPDATE events SET confirmed_count = 11 WHERE id = $1`, e.ID)
	if err == nil {
		t.Fatal("confirmed_count above capacity was accepted")
	}
	one := 0
	if err := st.SetEventSettings(ctx, st.DB, e.ID, &one, "auto"); err != nil {
		t.Fatalf("capacity 0 with no seats taken: %v", err)
	}
}

func TestEventLocation(t *testing.T) {
	if l := (store.Event{TimeZone: "Europe/Riga"}).Location(); l.String() != "Europe/Riga" {
		t.Fatalf("Riga: %v", l)
	}
	if l := (store.Event{TimeZone: "Europe/Riga"}).Location(); l.String() != "Europe/Riga" {
		t.Fatalf("Riga again (from the cache): %v", l)
	}
	if l := (store.Event{TimeZone: "Nowhere/Atlantis"}).Location(); l != time.UTC {
		t.Fatalf("unknown zone: %v, want UTC", l)
	}
}

// An event's phase is read on its own clock: in Riga a new day starts while
// it is still the day before in UTC.
func TestEventPhase(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	e := store.Event{FirstDay: day("2019-11-14"), LastDay: day("2019-11-15"), TimeZone: "Europe/Riga"}
	for _, c := range []struct {
		at   string
		want string
	}{
		{"2019-11-13T21:30:00Z", "upcoming"}, // 23:30 in Riga
		{"2019-11-13T22:30:00Z", "ongoing"},  // 00:30 on the first day in Riga
		{"2019-11-15T21:59:00Z", "ongoing"},
		{"2019-11-15T22:01:00Z", "past"},
	} {
		at, _ := time.Parse(time.RFC3339, c.at)
		if got := e.Phase(at); got != c.want {
			t.Errorf("%s: %s, want %s", c.at, got, c.want)
		}
	}
}

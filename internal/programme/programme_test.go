package programme_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
)

func TestHistoricalSeed(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	created, err := programme.EnsureSeeded(ctx, st, false, time.Now())
	if err != nil || !created {
		t.Fatalf("EnsureSeeded: %v %v", created, err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	if p.GrantRef != "595269-CITIZ-1-2017-2-LV-CITIZ-NT" || p.StartsOn.Format("2006-01-02") != "2018-03-01" {
		t.Fatalf("project: %+v", p)
	}
	parts, _ := st.Partners(ctx, st.DB, p.ID)
	if len(parts) != 8 || parts[0].City != "Daugavpils" || !parts[0].IsLead {
		t.Fatalf("partners: %+v", parts)
	}
	want := []struct{ city, first, last string }{
		{"Daugavpils", "2018-05-23", "2018-05-24"},
		{"Kaunas", "2018-10-09", "2018-10-11"},
		{"Palermo", "2019-02-11", "2019-02-13"},
		{"Lodz", "2019-05-28", "2019-05-29"},
		{"Daugavpils", "2019-11-14", "2019-11-15"},
	}
	evs, _ := st.ProjectEvents(ctx, st.DB, p.ID)
	if len(evs) != 5 {
		t.Fatalf("%d events", len(evs))
	}
	for i, e := range evs {
		if e.City != want[i].city || e.FirstDay.Format("2006-01-02") != want[i].first || e.LastDay.Format("2006-01-02") != want[i].last {
			t.Errorf("event %d: %s %s..%s", i+1, e.City, e.FirstDay.Format("2006-01-02"), e.LastDay.Format("2006-01-02"))
		}
		if e.Title.In("lv") == "" || e.Title.In("en") == "" {
			t.Errorf("event %d lacks titles", i+1)
		}
	}
	var regs int
	st.DB.Get(&regs, `SELECT count(*) FROM registrations`)
	if regs != 0 {
		t.Fatalf("historical seed must not invent participants, found %d", regs)
	}
	if n, err := st.CurrentPrivacyNotice(ctx, st.DB, p.ID, "lv"); err != nil || n.Language != "lv" || n.Version != 1 {
		t.Fatalf("privacy notice: %+v %v", n, err)
	}
	again, err := programme.EnsureSeeded(ctx, st, true, time.Now())
	if err != nil || again {
		t.Fatalf("second EnsureSeeded must do nothing: %v %v", again, err)
	}
}

func TestDemoCalendarAndData(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if _, err := programme.EnsureSeeded(ctx, st, true, now); err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	evs, _ := st.ProjectEvents(ctx, st.DB, p.ID)
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if !evs[3].FirstDay.Equal(today) {
		t.Fatalf("event 4 starts %s, want today", evs[3].FirstDay)
	}
	// Order, lengths and gaps are kept: event 1 is 370 days before event 4, as in 2018-2019.
	if gap := evs[3].FirstDay.Sub(evs[0].FirstDay).Hours() / 24; gap != 370 {
		t.Fatalf("gap between events 1 and 4: %v days", gap)
	}
	if !evs[3].RegistrationOpen(now) || !evs[4].RegistrationOpen(now) || evs[0].RegistrationOpen(now) {
		t.Fatal("registration should be open for events 4 and 5 only")
	}
	for i, e := range evs {
		var regs, admitted int
		st.DB.Get(&regs, `SELECT count(*) FROM registrations WHERE event_id = $1`, e.ID)
		st.DB.Get(&admitted, `SELECT count(DISTINCT registration_id) FROM admissions WHERE event_id = $1`, e.ID)
		switch {
		case i < 3 && (regs < 50 || admitted < regs*3/4):
			t.Errorf("past event %d: %d registrations, %d admitted", i+1, regs, admitted)
		case i == 3 && (admitted == 0 || admitted > regs/2):
			t.Errorf("event 4 (today): %d registrations, %d admitted", regs, admitted)
		case i == 4 && admitted != 0:
			t.Errorf("upcoming event 5 has %d admitted", admitted)
		}
		ev, _ := st.Event(ctx, st.DB, e.ID)
		var confirmed int
		st.DB.Get(&confirmed, `SELECT count(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'`, e.ID)
		if ev.ConfirmedCount != confirmed {
			t.Errorf("event %d: seat counter %d, confirmed %d", i+1, ev.ConfirmedCount, confirmed)
		}
	}
	var countries int
	st.DB.Get(&countries, `SELECT count(DISTINCT country) FROM registrations`)
	if countries < 10 {
		t.Fatalf("demo covers %d countries", countries)
	}
	var diacritics int
	st.DB.Get(&diacritics, `SELECT count(*) FROM registrations WHERE first_name || last_name ~ '[āēīūšžčņļķģŁłąęśżźćńóÆØøÅåăâîșțĂÎȘȚа-яА-Я]'`)
	if diacritics < 50 {
		t.Fatalf("only %d names with diacritics", diacritics)
	}
}

func TestConcurrentSeedingLoadsOnce(t *testing.T) {
	url := dbtest.URL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, err := store.Open(ctx, url, 2)
			if err != nil {
				errs[i] = err
				return
			}
			st.Sealer = dbtest.Keyring(t)
			defer st.Close()
			_, errs[i] = programme.EnsureSeeded(ctx, st, true, time.Now())
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st, _ := store.Open(ctx, url, 2)
	st.Sealer = dbtest.Keyring(t)
	defer st.Close()
	var projects, events int
	st.DB.Get(&projects, `SELECT count(*) FROM projects`)
	st.DB.Get(&events, `SELECT count(*) FROM events`)
	if projects != 1 || events != 5 {
		t.Fatalf("after concurrent seeding: %d projects, %d events", projects, events)
	}
}

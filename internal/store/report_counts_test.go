package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// reportFixture is a project of two events in different countries, with two partners.
type reportFixture struct {
	st       *store.Store
	events   []store.Event
	partners []int64
}

func newReportFixture(t *testing.T) reportFixture {
	ctx := context.Background()
	st := dbtest.Open(t)
	p := store.Project{Code: "rc", Title: store.Texts{"en": "Counts"}}
	if err := st.CreateProject(ctx, st.DB, &p); err != nil {
		t.Fatal(err)
	}
	f := reportFixture{st: st}
	for i, c := range []string{"LV", "LT"} {
		first := time.Date(2026, 6, 1+10*i, 0, 0, 0, 0, time.UTC)
		e := store.Event{ProjectID: p.ID, Slug: fmt.Sprintf("rc-%d", i), Number: i + 1, Title: store.Texts{"en": "E"},
			City: "Town", Country: c, FirstDay: first, LastDay: first.AddDate(0, 0, 2)}
		if err := st.CreateEvent(ctx, st.DB, &e); err != nil {
			t.Fatal(err)
		}
		f.events = append(f.events, e)
	}
	for i, c := range []string{"LV", "PL"} {
		var id int64
		if err := st.DB.GetContext(ctx, &id, `INSERT INTO partners (project_id, slug, organisation, city, country)
			VALUES ($1, $2, 'Org', 'City', $3) RETURNING id`, p.ID, fmt.Sprintf("p%d", i), c); err != nil {
			t.Fatal(err)
		}
		f.partners = append(f.partners, id)
	}
	return f
}

func (f reportFixture) eventIDs() []int64 {
	return []int64{f.events[0].ID, f.events[1].ID}
}

// op runs one random change, as the application's use cases make them.
func (f reportFixture) op(ctx context.Context, tx *sqlx.Tx, rng *rand.Rand) error {
	pick := func(xs ...string) string { return xs[rng.Intn(len(xs))] }
	anyReg := func() (int64, bool) {
		var id int64
		err := tx.GetContext(ctx, &id, `SELECT id FROM registrations ORDER BY random() LIMIT 1`)
		return id, err == nil
	}
	e := f.events[rng.Intn(len(f.events))]
	switch k := rng.Intn(100); {
	case k < 25: // a registration with some days
		var partner *int64
		if rng.Intn(3) > 0 {
			partner = &f.partners[rng.Intn(len(f.partners))]
		}
		r := store.Registration{EventID: e.ID, Status: store.Status(pick("confirmed", "confirmed", "pending_confirmation", "waitlisted", "cancelled")),
			FirstName: "A", LastName: "B", Country: pick("LV", "LT", "PL"), City: pick("", "Riga", " Riga ", "Kaunas"),
			Participation: store.Participation(pick("local", "invited", "invited", "other")), PartnerID: partner,
			AgeBand: pick("", "18-25", "26-35"), Gender: pick("", "female", "male")}
		var days []time.Time
		for d := e.FirstDay; !d.After(e.LastDay); d = d.AddDate(0, 0, 1) {
			if rng.Intn(2) == 0 {
				days = append(days, d)
			}
		}
		return f.st.InsertRegistration(ctx, tx, &r, days)
	case k < 55: // an admission on a day without a live one
		id, ok := anyReg()
		if !ok {
			return nil
		}
		_, err := tx.ExecContext(ctx, `
INSERT INTO admissions (event_id, registration_id, day, admitted_at, method)
SELECT r.event_id, r.id, d.day, now(), 'qr' FROM registrations r JOIN event_days d ON d.event_id = r.event_id
WHERE r.id = $1 AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id AND a.day = d.day AND a.undone_at IS NULL)
ORDER BY random() LIMIT 1`, id)
		return err
	case k < 65: // an admission undone
		_, err := tx.ExecContext(ctx, `UPDATE admissions SET undone_at = now()
			WHERE id = (SELECT id FROM admissions WHERE undone_at IS NULL ORDER BY random() LIMIT 1)`)
		return err
	case k < 70: // an admission deleted
		_, err := tx.ExecContext(ctx, `DELETE FROM admissions WHERE id = (SELECT id FROM admissions ORDER BY random() LIMIT 1)`)
		return err
	case k < 76: // a status change (cancellation mostly)
		_, err := tx.ExecContext(ctx, `UPDATE registrations SET status = $1
			WHERE id = (SELECT id FROM registrations ORDER BY random() LIMIT 1)`, pick("cancelled", "cancelled", "confirmed", "waitlisted"))
		return err
	case k < 82: // the country, city or partner edited
		_, err := tx.ExecContext(ctx, `UPDATE registrations SET country = $1, city = $2, partner_id = $3
			WHERE id = (SELECT id FROM registrations ORDER BY random() LIMIT 1)`, pick("LV", "LT", "PL", "DE"), pick("", "Riga", "Vilnius"),
			[]any{nil, f.partners[0]}[rng.Intn(2)])
		return err
	case k < 86: // erasure: the personal fields scrubbed
		id, ok := anyReg()
		if !ok {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (registration_id, kind, given) VALUES ($1, 'gender', false)`, id); err != nil {
			return err
		}
		_, err := f.st.AnonymiseRegistrations(ctx, tx, []int64{id})
		return err
	case k < 89: // the event's country changed
		_, err := tx.ExecContext(ctx, `UPDATE events SET country = $1 WHERE id = $2`, pick("LV", "LT", "PL"), e.ID)
		return err
	case k < 93: // a day no longer registered for
		_, err := tx.ExecContext(ctx, `DELETE FROM registration_days WHERE (registration_id, day) =
			(SELECT registration_id, day FROM registration_days ORDER BY random() LIMIT 1)`)
		return err
	case k < 96: // a registration deleted
		id, ok := anyReg()
		if !ok {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM registrations WHERE id = $1`, id)
		return err
	default: // an update that changes nothing the report shows
		_, err := tx.ExecContext(ctx, `UPDATE registrations SET first_name = 'C', status = status
			WHERE id = (SELECT id FROM registrations ORDER BY random() LIMIT 1)`)
		return err
	}
}

func groupKeys(gs []store.RegistrationGroup) map[string]int {
	m := map[string]int{}
	for _, g := range gs {
		days := append([]string(nil), g.Days...)
		sort.Strings(days)
		p := int64(0)
		if g.PartnerID != nil {
			p = *g.PartnerID
		}
		m[fmt.Sprintf("%d|%s|%s|%s|%s|%s|%d|%s|%s", g.EventID, g.Status, strings.Join(days, ","), g.Country, g.City, g.Kind, p, g.AgeBand, g.Gender)] += g.N
	}
	return m
}

func dayKeys(ds []store.DayRegistered) map[string]int {
	m := map[string]int{}
	for _, d := range ds {
		m[fmt.Sprintf("%d|%s", d.EventID, d.Day.Format("2006-01-02"))] += d.N
	}
	return m
}

func diffCounts(a, b map[string]int) string {
	var out []string
	for k, n := range a {
		if b[k] != n {
			out = append(out, fmt.Sprintf("%s: maintained %d, from scratch %d", k, n, b[k]))
		}
	}
	for k, n := range b {
		if _, ok := a[k]; !ok {
			out = append(out, fmt.Sprintf("%s: maintained 0, from scratch %d", k, n))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// check compares the maintained report with the one computed from scratch,
// in one snapshot.
func (f reportFixture) check(t *testing.T, when string) {
	t.Helper()
	ctx := context.Background()
	ids := f.eventIDs()
	err := f.st.ReportSnapshot(ctx, func(tx *sqlx.Tx) error {
		m, err := f.st.RegistrationGroups(ctx, tx, ids)
		if err != nil {
			return err
		}
		s, err := f.st.RegistrationGroupsFromScratch(ctx, tx, ids)
		if err != nil {
			return err
		}
		if d := diffCounts(groupKeys(m), groupKeys(s)); d != "" {
			t.Errorf("%s: registration groups differ:\n%s", when, d)
		}
		md, err := f.st.DaysRegistered(ctx, tx, ids)
		if err != nil {
			return err
		}
		sd, err := f.st.DaysRegisteredFromScratch(ctx, tx, ids)
		if err != nil {
			return err
		}
		if d := diffCounts(dayKeys(md), dayKeys(sd)); d != "" {
			t.Errorf("%s: days registered differ:\n%s", when, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReportCountsMatchFromScratch(t *testing.T) {
	ctx := context.Background()
	f := newReportFixture(t)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	batch := func() {
		for range 1 + rng.Intn(4) {
			err := f.st.InTx(ctx, func(tx *sqlx.Tx) error {
				for range 1 + rng.Intn(8) {
					if err := f.op(ctx, tx, rng); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 40 {
		batch()
		f.check(t, fmt.Sprintf("batch %d", i))
		if rng.Intn(2) == 0 {
			if _, err := f.st.FoldReport(ctx); err != nil {
				t.Fatal(err)
			}
			f.check(t, fmt.Sprintf("batch %d, folded", i))
		}
	}
	// Folded completely, the counts alone are the report.
	if _, err := f.st.FoldReport(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.ReportQueue(ctx, f.st.DB, 1); err != nil || n != 0 {
		t.Fatalf("queue after a fold: %d %v", n, err)
	}
	var groups, regs int
	f.st.DB.GetContext(ctx, &groups, `SELECT coalesce(sum(n), 0) FROM report_groups`)
	f.st.DB.GetContext(ctx, &regs, `SELECT count(*) FROM registrations`)
	if groups != regs || regs == 0 {
		t.Errorf("the groups count %d registrations, the table holds %d", groups, regs)
	}
	f.check(t, "all folded")
}

// concurrent reports the failures two writers may meet (then nothing is stored).
func concurrent(err error) bool {
	var pe *pq.Error
	if errors.Is(err, store.ErrConflict) || !errors.As(err, &pe) {
		return errors.Is(err, store.ErrConflict)
	}
	return pe.Code == "23505" || pe.Code == "23503" || pe.Code == "40P01" || pe.Code == "40001"
}

// Changes, folds and reports at once: every report is exact at its snapshot.
func TestReportCountsExactWhileFolding(t *testing.T) {
	ctx := context.Background()
	f := newReportFixture(t)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 2 {
		wg.Add(1)
		go func() { // changes
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed + int64(w)))
			for !stop.Load() {
				err := f.st.InTx(ctx, func(tx *sqlx.Tx) error {
					for range 1 + rng.Intn(5) {
						if err := f.op(ctx, tx, rng); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil && !concurrent(err) {
					errs <- err
					return
				}
			}
		}()
	}
	folds := 0
	wg.Add(1)
	go func() { // folds
		defer wg.Done()
		for !stop.Load() {
			if _, err := f.st.FoldReport(ctx); err != nil {
				errs <- err
				return
			}
			folds++
			time.Sleep(5 * time.Millisecond)
		}
	}()
	for i := range 40 {
		f.check(t, fmt.Sprintf("report %d while changing and folding", i))
		time.Sleep(10 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	f.check(t, "after the changes")
	if _, err := f.st.FoldReport(ctx); err != nil {
		t.Fatal(err)
	}
	f.check(t, "all folded")
	t.Logf("%d folds", folds)
	var regs int
	f.st.DB.GetContext(ctx, &regs, `SELECT count(*) FROM registrations`)
	if regs == 0 {
		t.Error("no registrations made")
	}
}

// A registration made while its event's country changes gets the new
// country's kind, even when a fold runs between the two commits.
func TestReportCountsEventCountryRace(t *testing.T) {
	ctx := context.Background()
	f := newReportFixture(t)
	e := f.events[0] // LV
	if _, err := f.st.FoldReport(ctx); err != nil {
		t.Fatal(err)
	}
	change, err := f.st.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer change.Rollback()
	if _, err := change.ExecContext(ctx, `UPDATE events SET country = 'LT' WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	// An invited delegate from Latvia: 'other' at a Latvian event, 'invited' at a Lithuanian one.
	done := make(chan error, 1)
	go func() {
		err := f.st.InTx(ctx, func(tx *sqlx.Tx) error {
			r := store.Registration{EventID: e.ID, Status: store.StatusConfirmed, FirstName: "A", LastName: "B",
				Country: "LV", Participation: store.Participation("invited"), PartnerID: &f.partners[1]}
			return f.st.InsertRegistration(ctx, tx, &r, nil)
		})
		if err == nil {
			_, err = f.st.FoldReport(ctx)
		}
		done <- err
	}()
	// The registration either waits for the change (the rule) or, without
	// the rule, commits and is folded with the old country before it.
	deadline := time.Now().Add(10 * time.Second)
	for waiting := false; !waiting; {
		select {
		case err := <-done:
			done <- err
			waiting = true
		default:
			var n int
			if err := f.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
				t.Fatal(err)
			}
			waiting = n > 0
			if time.Now().After(deadline) {
				t.Fatal("the registration neither waited nor finished")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if err := change.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	f.check(t, "after the change and the registration")
	if _, err := f.st.FoldReport(ctx); err != nil {
		t.Fatal(err)
	}
	f.check(t, "folded")
	var kind string
	if err := f.st.DB.GetContext(ctx, &kind, `SELECT kind FROM report_folded f JOIN registrations r ON r.id = f.registration_id
		WHERE r.event_id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	if kind != "invited" {
		t.Errorf("folded kind %q, want invited", kind)
	}
}

package checkin_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// invalidField fails unless err is a validation error naming field with key.
func invalidField(t *testing.T, err error, field, key string) {
	t.Helper()
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		t.Fatalf("err = %v, want a validation error on %s", err, field)
	}
	if inv.Fields[field] != key {
		t.Fatalf("fields = %v, want %s: %s", inv.Fields, field, key)
	}
}

func liveAdmissions(t *testing.T, st *store.Store, eventID int64) int {
	t.Helper()
	return count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND undone_at IS NULL`, eventID)
}

func TestPaperAttendance(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 3)
	svc := checkin.New(st, tickets.New(st), time.Now)
	coord := f.User(t, auth.RoleCoordinator)
	cp := &auth.Principal{UserID: coord.ID, Role: coord.Role}
	p0, p1, p2 := f.People[0].Reg.ID, f.People[1].Reg.ID, f.People[2].Reg.ID
	yesterday, tomorrow := f.Today.AddDate(0, 0, -1), f.Today.AddDate(0, 0, 1)

	// P0 was scanned at the door today.
	_, tok := f.Device(t, f.A, "Door 1")
	if r, err := svc.Scan(ctx, f.Principal(t, tok), checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload,
		ScanID: uuid.NewString()}); err != nil || r.Result != checkin.Admitted {
		t.Fatalf("door scan: %v %+v", err, r)
	}

	// Ticking P0 and P1: P1 is admitted from paper, P0 stays one admission (the scan's).
	res, err := svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{p0, p1}, nil, "sheet 1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Admitted != 1 || res.Undone != 0 || res.Unchanged != 1 {
		t.Fatalf("first save: %+v, want 1 admitted, 1 unchanged", res)
	}
	if n := liveAdmissions(t, st, f.A.ID); n != 2 {
		t.Fatalf("%d admissions, want 2", n)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE registration_id = $1`, p0); n != 1 {
		t.Fatalf("the scanned person has %d admissions, want 1", n)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE registration_id = $1 AND method = 'paper' AND user_id = $2
		AND day = $3 AND undone_at IS NULL`, p1, coord.ID, f.Today); n != 1 {
		t.Fatal("the paper admission is not recorded with its method and who made it")
	}
	if n := count(t, st, `SELECT count(*) FROM scans s JOIN admissions a ON a.scan_id = s.scan_id
		WHERE s.registration_id = $1 AND s.method = 'paper' AND s.result = 'admitted'`, p1); n != 1 {
		t.Fatal("the paper admission is not in the scan log")
	}

	// The same save again changes nothing.
	scansBefore := count(t, st, `SELECT count(*) FROM scans`)
	res, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{p1, p0, p1}, nil, "sheet 1")
	if err != nil || res.Admitted != 0 || res.Unchanged != 2 {
		t.Fatalf("second save: %v %+v", err, res)
	}
	if n := liveAdmissions(t, st, f.A.ID); n != 2 {
		t.Fatalf("%d admissions after saving again, want 2", n)
	}
	if n := count(t, st, `SELECT count(*) FROM scans`); n != scansBefore {
		t.Fatalf("saving again logged %d scans", n-scansBefore)
	}

	// The list: how each was admitted.
	rows, err := svc.PaperAttendance(ctx, cp, f.A.ID, f.Today, "en")
	if err != nil {
		t.Fatal(err)
	}
	how := map[int64]string{}
	for _, r := range rows {
		how[r.RegistrationID] = r.How
	}
	if how[p0] != checkin.ByDoor || how[p1] != checkin.ByPaper || how[p2] != "" || len(rows) != 3 {
		t.Fatalf("list: %+v", rows)
	}

	// Unticking undoes, any admission (a door scan too), with a reason.
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, nil, []int64{p1}, "  ")
	invalidField(t, err, "reason", "attendance.error.reason_undo")
	res, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{p2}, []int64{p0, p1}, "not on the sheet")
	if err != nil || res.Admitted != 1 || res.Undone != 2 {
		t.Fatalf("undo: %v %+v", err, res)
	}
	if n := liveAdmissions(t, st, f.A.ID); n != 1 {
		t.Fatalf("%d admissions after undo, want 1", n)
	}
	if n := count(t, st, `SELECT count(*) FROM scans WHERE method = 'undo' AND result = 'undone' AND reason = 'not on the sheet'`); n != 2 {
		t.Fatalf("%d undo rows in the scan log, want 2", n)
	}
	// An undo already done is nothing to do.
	if res, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, nil, []int64{p1}, "again"); err != nil || res.Undone != 0 || res.Unchanged != 1 {
		t.Fatalf("undo again: %v %+v", err, res)
	}

	// Refused, nothing stored: a future day, a day outside the event, a
	// person not registered for the day (even beside one who is), not
	// confirmed, of another event; an id both ticked and unticked.
	before := liveAdmissions(t, st, f.A.ID)
	audits := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'attendance.paper'`)
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, tomorrow, []int64{p0}, nil, "")
	invalidField(t, err, "day", "attendance.error.day_future")
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today.AddDate(0, 0, -5), []int64{p0}, nil, "")
	invalidField(t, err, "day", "attendance.error.day_outside")
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today.AddDate(0, 0, 2), []int64{p0}, nil, "")
	invalidField(t, err, "day", "attendance.error.day_outside")
	early := f.Add(t, f.A, "Early", yesterday)
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, yesterday, []int64{early.Reg.ID, p0}, nil, "")
	invalidField(t, err, checkin.PaperField(p0), "attendance.error.not_registered")
	cancelled := f.Add(t, f.A, "Cancelled", f.Today)
	f.Cancel(t, cancelled.Reg.ID)
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{cancelled.Reg.ID}, nil, "")
	invalidField(t, err, checkin.PaperField(cancelled.Reg.ID), "attendance.error.not_confirmed")
	elsewhere := f.Add(t, f.B, "Elsewhere", f.Today)
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{elsewhere.Reg.ID}, nil, "")
	invalidField(t, err, checkin.PaperField(elsewhere.Reg.ID), "attendance.error.unknown")
	_, err = svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, []int64{p0}, []int64{p0}, "x")
	invalidField(t, err, checkin.PaperField(p0), "attendance.error.both")
	if n := liveAdmissions(t, st, f.A.ID); n != before {
		t.Fatalf("a refused save changed admissions: %d, want %d", n, before)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE registration_id = ANY(ARRAY[$1, $2]::bigint[])`, early.Reg.ID, elsewhere.Reg.ID); n != 0 {
		t.Fatal("a refused save admitted someone")
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'attendance.paper'`); n != audits {
		t.Fatal("a refused save was audited as made")
	}
	// Yesterday, on its own, is fine: a past day of the event.
	if res, err := svc.SavePaperAttendance(ctx, cp, f.A.ID, yesterday, []int64{early.Reg.ID}, nil, ""); err != nil || res.Admitted != 1 {
		t.Fatalf("yesterday: %v %+v", err, res)
	}

	// One audit entry per save, with the day and counts and no names.
	var details []string
	if err := st.DB.Select(&details, `SELECT details::text FROM audit_log WHERE action = 'attendance.paper' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(details) != 5 {
		t.Fatalf("%d audit entries, want 5 (one per save made)", len(details))
	}
	for _, d := range details {
		if strings.Contains(d, "Person") || strings.Contains(d, "Early") || strings.Contains(d, "sheet") || !strings.Contains(d, `"day"`) || !strings.Contains(d, `"admitted"`) {
			t.Errorf("audit details %s", d)
		}
	}

	// Only a coordinator who may manage the event: not a door device, not
	// another project's coordinator.
	other := store.Project{Code: "paper-other", Title: store.Texts{"en": "Other"}}
	if err := st.CreateProject(ctx, st.DB, &other); err != nil {
		t.Fatal(err)
	}
	foreign := &auth.Principal{UserID: coord.ID, Role: auth.RoleCoordinator, ProjectID: &other.ID}
	for name, p := range map[string]*auth.Principal{"device": f.Principal(t, tok), "foreign coordinator": foreign} {
		if _, err := svc.SavePaperAttendance(ctx, p, f.A.ID, f.Today, []int64{p0}, nil, ""); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s saved: %v", name, err)
		}
		if _, err := svc.PaperAttendance(ctx, p, f.A.ID, f.Today, "en"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s listed: %v", name, err)
		}
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE registration_id = $1 AND undone_at IS NULL`, p0); n != 0 {
		t.Fatal("a refused caller admitted someone")
	}
}

// A paper save and door scans of the same people at the same moment, on
// several connections: each person is in exactly once.
func TestPaperAttendanceRacesTheDoor(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 8)
	svc := checkin.New(st, tickets.New(st), time.Now)
	coord := f.User(t, auth.RoleCoordinator)
	cp := &auth.Principal{UserID: coord.ID, Role: coord.Role}
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	var ids []int64
	for _, p := range f.People {
		ids = append(ids, p.Reg.ID)
	}
	var wg sync.WaitGroup
	admitted := make(chan int, 16)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			list := slices.Clone(ids)
			if i%2 == 1 {
				slices.Reverse(list)
			}
			res, err := svc.SavePaperAttendance(ctx, cp, f.A.ID, f.Today, list, nil, "")
			if err != nil {
				t.Error(err)
				return
			}
			admitted <- res.Admitted
		}()
	}
	for _, p := range f.People {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: p.Ticket.Payload, ScanID: uuid.NewString()})
			if err != nil {
				t.Error(err)
				return
			}
			if r.Result == checkin.Admitted {
				admitted <- 1
			}
		}()
	}
	wg.Wait()
	close(admitted)
	total := 0
	for n := range admitted {
		total += n
	}
	if total != len(ids) {
		t.Fatalf("%d admissions reported made, want %d", total, len(ids))
	}
	if n := liveAdmissions(t, st, f.A.ID); n != len(ids) {
		t.Fatalf("%d admissions, want %d", n, len(ids))
	}
}

// The list is sorted by last name in the reader's alphabet: Latvian has Č as
// a letter after C, English sorts it among the Cs; confirmed people first.
func TestSortPaperRows(t *testing.T) {
	rows := func() []checkin.PaperRow {
		var rs []checkin.PaperRow
		for i, n := range []string{"Zariņš", "Čaks", "cālītis", "Ābele", "Bērziņš", "Aaron"} {
			rs = append(rs, checkin.PaperRow{RegistrationID: int64(i + 1), LastName: n, Status: store.StatusConfirmed})
		}
		rs = append(rs, checkin.PaperRow{RegistrationID: 9, LastName: "Able", Status: store.StatusCancelled})
		return rs
	}
	names := func(rs []checkin.PaperRow) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.LastName)
		}
		return strings.Join(out, " ")
	}
	for lang, want := range map[string]string{
		"lv": "Aaron Ābele Bērziņš cālītis Čaks Zariņš Able",
		"en": "Aaron Ābele Bērziņš Čaks cālītis Zariņš Able",
	} {
		rs := rows()
		checkin.SortPaperRows(rs, lang)
		if got := names(rs); got != want {
			t.Errorf("%s: %s, want %s", lang, got, want)
		}
	}
}

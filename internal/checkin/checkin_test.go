package checkin_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// forge changes one character in the signature part of a payload.
func forge(p string) string {
	b := []byte(p)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestScanResults(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 3)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)

	cancelled := f.People[1]
	f.Cancel(t, cancelled.Reg.ID)
	tomorrowOnly := f.Add(t, f.A, "Tomorrow", f.Today.AddDate(0, 0, 1))
	other := f.Add(t, f.B, "OtherEvent", f.Today)
	reissued := f.People[2]
	if _, err := tickets.New(st).Issue(ctx, st.DB, reissued.Reg.ID, "changed"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, payload, want, reason string
	}{
		{"valid", f.People[0].Ticket.Payload, checkin.Admitted, ""},
		{"second scan", f.People[0].Ticket.Payload, checkin.AlreadyAdmitted, ""},
		{"forged", forge(f.People[0].Ticket.Payload), checkin.Invalid, "bad_signature"},
		{"garbage", "https://example.org/not-a-ticket", checkin.Invalid, "malformed"},
		{"other event", other.Ticket.Payload, checkin.WrongEvent, ""},
		{"cancelled", cancelled.Ticket.Payload, checkin.Cancelled, ""},
		{"replaced ticket", reissued.Ticket.Payload, checkin.Revoked, ""},
		{"another day", tomorrowOnly.Ticket.Payload, checkin.NotToday, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: tc.payload, ScanID: uuid.NewString()})
			if err != nil {
				t.Fatal(err)
			}
			if res.Result != tc.want || res.Reason != tc.reason {
				t.Fatalf("result %q/%q, want %q/%q", res.Result, res.Reason, tc.want, tc.reason)
			}
			if tc.want == checkin.AlreadyAdmitted && (res.FirstDevice == nil || *res.FirstDevice != "Door 1" || res.FirstAdmittedAt == nil) {
				t.Fatalf("already admitted without where and when: %+v", res)
			}
			if tc.want == checkin.Admitted && (res.Attendee == nil || res.Attendee.Name != "Test Person0" || res.Attendee.Country != "LT") {
				t.Fatalf("attendee %+v", res.Attendee)
			}
		})
	}
	if n := count(t, st, `SELECT count(*) FROM scans WHERE event_id = $1`, f.A.ID); n != len(tests) {
		t.Fatalf("%d scans logged, want %d (failed ones included)", n, len(tests))
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND day = $2 AND undone_at IS NULL`, f.A.ID, f.Today); n != 1 {
		t.Fatalf("%d admissions, want 1", n)
	}
}

func TestScanReplayAndValidation(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	_, tok2 := f.Device(t, f.A, "Door 2")
	dev, dev2 := f.Principal(t, tok), f.Principal(t, tok2)

	id := uuid.NewString()
	first, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: id})
	if err != nil || first.Result != checkin.Admitted {
		t.Fatalf("first: %v %+v", err, first)
	}
	again, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: strings.ToUpper(id)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Fatalf("retry answered %s, first %s", b, a)
	}
	// The retry is answered from the log, not decided again: even a retry
	// carrying something else gets the first answer.
	other, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: forge(f.People[0].Ticket.Payload), ScanID: id})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := json.Marshal(other); string(c) != string(a) {
		t.Fatalf("retry with another payload answered %s, first %s", c, a)
	}
	if n := count(t, st, `SELECT count(*) FROM scans`); n != 1 {
		t.Fatalf("retry logged again: %d scans", n)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions`); n != 1 {
		t.Fatalf("%d admissions after retries, want 1", n)
	}
	// Another device may not reuse (or read) this scan id.
	if _, err := svc.Scan(ctx, dev2, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: id}); err == nil {
		t.Fatal("scan id of another device replayed")
	}
	for _, sc := range []checkin.Scan{
		{EventID: f.A.ID, Payload: "x", ScanID: "not-a-uuid"},
		{EventID: f.A.ID, Payload: "x", ScanID: uuid.NewString(), Method: "telepathy"},
		{EventID: f.A.ID, Payload: "x", ScanID: uuid.NewString(), ScannedAt: time.Now().AddDate(-1, 0, 0)},
	} {
		if _, err := svc.Scan(ctx, dev, sc); err == nil {
			t.Fatalf("accepted %+v", sc)
		} else if _, ok := apperr.AsInvalid(err); !ok {
			t.Fatalf("%+v: %v is not a validation error", sc, err)
		}
	}
}

// The door reuses an event's keys for a moment; a ticket signed with a key
// made meanwhile must still get in, and a retired key must stop soon after.
func TestScanKeysChangingMeanwhile(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	scan := func(payload string) checkin.Result {
		t.Helper()
		res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: payload, ScanID: uuid.NewString()})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if r := scan(f.People[0].Ticket.Payload); r.Result != checkin.Admitted {
		t.Fatalf("first ticket: %+v", r)
	}
	oldKey, err := st.EventKeys(ctx, st.DB, f.A.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tickets.New(st).RotateKey(ctx, st.DB, f.A.ID); err != nil {
		t.Fatal(err)
	}
	newer := f.Add(t, f.A, "NewKey", f.Today)
	if r := scan(newer.Ticket.Payload); r.Result != checkin.Admitted {
		t.Fatalf("ticket signed with a key made a moment ago: %+v", r)
	}
	// Retire the first key: its tickets are refused once the door's copy of
	// the keys has expired (two seconds).
	if err := st.RetireEventKey(ctx, st.DB, oldKey[0].ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond)
	if r := scan(f.People[0].Ticket.Payload); r.Result != checkin.Invalid || r.Reason != "unknown_key" {
		t.Fatalf("ticket of a retired key: %+v", r)
	}
}

func TestScanConcurrentSameTicket(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	var wg sync.WaitGroup
	results := make(chan string, 20)
	for range 20 {
		wg.Go(func() {
			res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: uuid.NewString()})
			if err != nil {
				t.Error(err)
				return
			}
			results <- res.Result
		})
	}
	wg.Wait()
	close(results)
	got := map[string]int{}
	for r := range results {
		got[r]++
	}
	if got[checkin.Admitted] != 1 || got[checkin.AlreadyAdmitted] != 19 {
		t.Fatalf("results %v", got)
	}
}

func TestOfflineFirstByTimeWins(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	svc := checkin.New(st, tickets.New(st), time.Now)
	id1, tok1 := f.Device(t, f.A, "Door 1")
	id2, tok2 := f.Device(t, f.A, "Door 2")
	_, tok3 := f.Device(t, f.A, "Door 3")
	payload := f.People[0].Ticket.Payload
	// A fixed clock at noon, so that "10 minutes earlier" is the same day at any hour of the run.
	now := f.Today.Add(12 * time.Hour)
	svc.Now = func() time.Time { return now }

	online := uuid.NewString()
	if r, err := svc.Scan(ctx, f.Principal(t, tok1), checkin.Scan{EventID: f.A.ID, Payload: payload, ScanID: online, ScannedAt: now}); err != nil || r.Result != checkin.Admitted {
		t.Fatalf("online: %v %+v", err, r)
	}
	// Door 2 admitted the same person 10 minutes earlier while offline: it wins.
	early := uuid.NewString()
	r, err := svc.Scan(ctx, f.Principal(t, tok2), checkin.Scan{EventID: f.A.ID, Payload: payload, ScanID: early,
		ScannedAt: now.Add(-10 * time.Minute), Offline: true, Local: checkin.Admitted})
	if err != nil || r.Result != checkin.Admitted || !r.DoubleEntry {
		t.Fatalf("earlier offline: %v %+v", err, r)
	}
	var a store.Admission
	if err := st.DB.Get(&a, `SELECT id, event_id, registration_id, day, admitted_at, device_id, user_id, scan_id::text AS scan_id, method, reason, undone_at
		FROM admissions WHERE registration_id = $1 AND undone_at IS NULL`, f.People[0].Reg.ID); err != nil {
		t.Fatal(err)
	}
	if !a.AdmittedAt.Equal(now.Add(-10*time.Minute)) || a.DeviceID == nil || *a.DeviceID != id2 || *a.ScanID != early {
		t.Fatalf("admission not moved to the earlier scan: %+v", a)
	}
	// Door 3, offline, later than the winner: already admitted, reported.
	r, err = svc.Scan(ctx, f.Principal(t, tok3), checkin.Scan{EventID: f.A.ID, Payload: payload, ScanID: uuid.NewString(),
		ScannedAt: now.Add(-5 * time.Minute), Offline: true, Local: checkin.Admitted})
	if err != nil || r.Result != checkin.AlreadyAdmitted || *r.FirstDevice != "Door 2" {
		t.Fatalf("later offline: %v %+v", err, r)
	}
	des, err := st.DoubleEntries(ctx, st.DB, f.A.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != 2 {
		t.Fatalf("%d double entries, want 2", len(des))
	}
	var moved store.DoubleEntry
	for _, d := range des {
		if d.OtherScanID == online {
			moved = d
		}
	}
	if moved.KeptDeviceID == nil || *moved.KeptDeviceID != id2 || moved.OtherDeviceID == nil || *moved.OtherDeviceID != id1 {
		t.Fatalf("double entry for the moved admission: %+v", moved)
	}
	c, err := svc.Counts(ctx, f.A.ID, f.Today)
	if err != nil || c.Admitted != 1 || c.DoubleEntries != 2 {
		t.Fatalf("counts %v %+v", err, c)
	}
}

func TestDeskManualWalkInUndo(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Desk")
	dev := f.Principal(t, tok)

	found, err := svc.Search(ctx, f.A.ID, "person1", f.Today)
	if err != nil || len(found) != 1 || found[0].RegistrationID != f.People[1].Reg.ID {
		t.Fatalf("search by name: %v %+v", err, found)
	}
	found, err = svc.Search(ctx, f.A.ID, strings.ToLower(f.People[1].Ticket.Code[:4]+"-"+f.People[1].Ticket.Code[4:]), f.Today)
	if err != nil || len(found) != 1 {
		t.Fatalf("search by code: %v %+v", err, found)
	}
	found, err = svc.Search(ctx, f.A.ID, *f.People[0].Reg.Email, f.Today)
	if err != nil || len(found) != 1 || found[0].RegistrationID != f.People[0].Reg.ID {
		t.Fatalf("search by e-mail: %v %+v", err, found)
	}
	if found, _ := svc.Search(ctx, f.A.ID, "%", f.Today); len(found) != 0 {
		t.Fatalf("a wildcard matched %d", len(found))
	}

	if _, err := svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: f.People[1].Reg.ID}); err == nil {
		t.Fatal("manual admission without a reason")
	}
	res, err := svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: f.People[1].Reg.ID, Reason: "No ticket with them"})
	if err != nil || res.Result != checkin.Admitted {
		t.Fatalf("manual: %v %+v", err, res)
	}
	if _, err := svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.B.ID, RegistrationID: f.People[0].Reg.ID, Reason: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("manual admission across events: %v", err)
	}

	// Undo: coordinators only, audited, and the person can be admitted again.
	if err := svc.Undo(ctx, dev, f.A.ID, f.People[1].Reg.ID, f.Today, "mistake"); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("device undid an admission: %v", err)
	}
	coord := f.User(t, auth.RoleCoordinator)
	cp := &auth.Principal{UserID: coord.ID, Role: coord.Role}
	if err := svc.Undo(ctx, cp, f.A.ID, f.People[1].Reg.ID, f.Today, "mistake"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Undo(ctx, cp, f.A.ID, f.People[1].Reg.ID, f.Today, "again"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second undo: %v", err)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'admission.undo'`); n != 1 {
		t.Fatalf("%d undo audit entries", n)
	}
	res, err = svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: f.People[1].Reg.ID, Reason: "back"})
	if err != nil || res.Result != checkin.Admitted {
		t.Fatalf("admit after undo: %v %+v", err, res)
	}

	// Walk-in without e-mail: registered, ticket issued, admitted at once.
	w := checkin.WalkIn{EventID: f.A.ID, FirstName: "Walk", LastName: "<script>In</script>", Country: "PT", Participation: "other", Consent: true}
	res, err = svc.RegisterWalkIn(ctx, dev, nil, w)
	if err != nil || res.Result != checkin.Admitted || res.Attendee == nil || res.Attendee.TicketID == nil {
		t.Fatalf("walk-in: %v %+v", err, res)
	}
	var src string
	if err := st.DB.Get(&src, `SELECT source FROM registrations WHERE id = $1`, res.Attendee.RegistrationID); err != nil || src != "walkin" {
		t.Fatalf("source %q %v", src, err)
	}
	// A retried submit (same scan id) is the same walk-in, not a second person.
	w.ScanID = res.ScanID
	again, err := svc.RegisterWalkIn(ctx, dev, nil, w)
	if err != nil || again.Attendee.RegistrationID != res.Attendee.RegistrationID {
		t.Fatalf("retried walk-in: %v %+v", err, again)
	}
	// Invalid input stores nothing.
	before := count(t, st, `SELECT count(*) FROM registrations`)
	_, err = svc.RegisterWalkIn(ctx, dev, nil, checkin.WalkIn{EventID: f.A.ID, FirstName: "No", LastName: "Consent", Country: "XX", Participation: "local"})
	inv, ok := apperr.AsInvalid(err)
	if !ok || inv.Fields["consent"] == "" || inv.Fields["country"] == "" {
		t.Fatalf("walk-in validation: %v", err)
	}
	if after := count(t, st, `SELECT count(*) FROM registrations`); after != before {
		t.Fatalf("invalid walk-in stored a registration")
	}
	// With an e-mail address the notifier sends the ticket in the same transaction.
	n := &recorder{st: st}
	res, err = svc.RegisterWalkIn(ctx, dev, n, checkin.WalkIn{EventID: f.A.ID, FirstName: "Mail", LastName: "Me", Email: "mail.me@example.org",
		Country: "LV", Participation: "local", Consent: true})
	if err != nil || res.Result != checkin.Admitted || n.confirmed != 1 {
		t.Fatalf("walk-in with e-mail: %v %+v %d", err, res, n.confirmed)
	}
	// The e-mail address is then taken at this event.
	_, err = svc.RegisterWalkIn(ctx, dev, n, checkin.WalkIn{EventID: f.A.ID, FirstName: "Mail", LastName: "Again", Email: "MAIL.me@example.org",
		Country: "LV", Participation: "local", Consent: true})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["email"] != "door.error.email_taken" {
		t.Fatalf("taken e-mail: %v", err)
	}
}

// recorder is a notifier that issues the ticket as the real one does.
type recorder struct {
	notify.Notifier
	st        *store.Store
	confirmed int
}

func (r *recorder) Confirmed(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	r.confirmed++
	_, err := tickets.New(r.st).Issue(ctx, q, n.Registration.ID, "issued")
	return err
}

func TestBundleHoldsNoContactData(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 3)
	f.Cancel(t, f.People[2].Reg.ID)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	b, err := svc.ExportBundle(ctx, f.Principal(t, tok), f.A)
	if err != nil {
		t.Fatal(err)
	}
	if b.Device == nil || b.Device.Name != "Door 1" {
		t.Fatalf("bundle device %+v", b.Device)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'export.door_list' AND actor_device_id IS NOT NULL`); n != 1 {
		t.Fatalf("%d audit entries for the list download", n)
	}
	if len(b.People) != 2 || len(b.Keys) != 1 || len(b.Revoked) != 1 || !b.Revoked[0].Cancelled {
		t.Fatalf("bundle: %d people, %d keys, revoked %+v", len(b.People), len(b.Keys), b.Revoked)
	}
	raw, _ := json.Marshal(b)
	if strings.Contains(string(raw), "@example.org") || strings.Contains(string(raw), "email") || strings.Contains(string(raw), "phone") {
		t.Fatalf("bundle leaks contact data: %s", raw)
	}
}

// The admission day is the scan's own day, never the client's choice: a
// ticket valid only tomorrow is not admitted today as tomorrow's admission,
// and a phone's clock does not move a scan sent at once to another day.
func TestScanDayIsTheScansDay(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 0)
	svc := checkin.New(st, tickets.New(st), time.Now)
	now := f.Today.Add(12 * time.Hour) // noon: the same day however long the test runs
	svc.Now = func() time.Time { return now }
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	yesterday, tomorrow := f.Today.AddDate(0, 0, -1), f.Today.AddDate(0, 0, 1)
	tomorrowOnly := f.Add(t, f.A, "Tomorrow", tomorrow)
	yesterdayOnly := f.Add(t, f.A, "Yesterday", yesterday)
	queued := f.Add(t, f.A, "Queued", yesterday)

	// A day other than the scan's is refused (422 on the API), and nothing is admitted.
	_, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: tomorrowOnly.Ticket.Payload, ScanID: uuid.NewString(), Day: &tomorrow})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["day"] != "door.error.day_not_scan_day" {
		t.Fatalf("scan naming tomorrow: %v", err)
	}
	// The scan's own day may still be sent (older clients do).
	res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: tomorrowOnly.Ticket.Payload, ScanID: uuid.NewString(), Day: &f.Today})
	if err != nil || res.Result != checkin.NotToday || res.Day != f.Today.Format(time.DateOnly) {
		t.Fatalf("scan naming today: %v %+v", err, res)
	}
	// Sent at once with yesterday's time on the phone: today, by the server's clock.
	res, err = svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: yesterdayOnly.Ticket.Payload, ScanID: uuid.NewString(), ScannedAt: now.Add(-24 * time.Hour)})
	if err != nil || res.Result != checkin.NotToday {
		t.Fatalf("online scan dated yesterday: %v %+v", err, res)
	}
	// Queued offline yesterday: yesterday's admission, at the device's time.
	res, err = svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: queued.Ticket.Payload, ScanID: uuid.NewString(),
		ScannedAt: now.Add(-24 * time.Hour), Offline: true, Local: checkin.Admitted})
	if err != nil || res.Result != checkin.Admitted || res.Day != yesterday.Format(time.DateOnly) {
		t.Fatalf("offline scan of yesterday: %v %+v", err, res)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND day <> $2`, f.A.ID, yesterday); n != 0 {
		t.Fatalf("%d admissions on a day the scans were not made", n)
	}

	// The desk: the same rule for the day.
	_, err = svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: tomorrowOnly.Reg.ID, Reason: "No ticket with them",
		DayReason: "x", Day: &tomorrow})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["day"] != "door.error.day_not_scan_day" {
		t.Fatalf("desk naming tomorrow: %v", err)
	}
}

// The desk admits a person not registered for today only with a reason for
// that, which the server requires and keeps in the scan log.
func TestDeskNotRegisteredToday(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 0)
	svc := checkin.New(st, tickets.New(st), time.Now)
	now := f.Today.Add(12 * time.Hour)
	svc.Now = func() time.Time { return now }
	_, tok := f.Device(t, f.A, "Desk")
	dev := f.Principal(t, tok)
	p := f.Add(t, f.A, "Tomorrow", f.Today.AddDate(0, 0, 1))
	in := f.Add(t, f.A, "Today", f.Today)

	found, err := svc.Search(ctx, f.A.ID, "test", f.Today)
	if err != nil || len(found) != 2 {
		t.Fatalf("search: %v %+v", err, found)
	}
	for _, x := range found {
		if x.RegisteredToday != (x.RegistrationID == in.Reg.ID) {
			t.Fatalf("registered_today of %s: %v", x.Name, x.RegisteredToday)
		}
	}
	_, err = svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: p.Reg.ID, Reason: "No ticket with them"})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["day_reason"] != "door.error.day_reason" {
		t.Fatalf("admitted without a reason for the day: %v", err)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE registration_id = $1`, p.Reg.ID); n != 0 {
		t.Fatalf("%d admissions", n)
	}
	res, err := svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: p.Reg.ID, Reason: "No ticket with them",
		DayReason: "Speaks on the first day instead"})
	if err != nil || res.Result != checkin.Admitted || res.Day != f.Today.Format(time.DateOnly) {
		t.Fatalf("admission with a reason for the day: %v %+v", err, res)
	}
	var reason string
	if err := st.DB.Get(&reason, `SELECT reason FROM scans WHERE scan_id = $1`, res.ScanID); err != nil ||
		!strings.Contains(reason, "No ticket with them") || !strings.Contains(reason, "Speaks on the first day instead") {
		t.Fatalf("scan log reason %q (%v)", reason, err)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'admission.manual' AND object_id = $1
		AND details->>'registered_for_day' = 'false'`, p.Reg.ID); n != 1 {
		t.Fatalf("%d audit entries saying the person was not registered for the day", n)
	}
	// Registered for today: no day reason needed.
	if res, err := svc.AdmitManual(ctx, dev, checkin.Manual{EventID: f.A.ID, RegistrationID: in.Reg.ID, Reason: "Phone battery empty"}); err != nil || res.Result != checkin.Admitted {
		t.Fatalf("registered person: %v %+v", err, res)
	}
}

// TestControlCharactersRefused: device names, walk-in names and desk reasons
// are one line of text; control characters get a field error, not a row or
// a database error (the device form accepted CR/LF).
func TestControlCharactersRefused(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Desk")
	dev := f.Principal(t, tok)
	field := func(err error, name string) bool {
		inv, ok := apperr.AsInvalid(err)
		return ok && inv.Fields[name] != ""
	}
	for _, bad := range []string{"Door\r\n1", "Door\x001", "Door\x07", "Do\u0085or", "Door\xff"} {
		if _, err := svc.AddDevice(ctx, nil, f.A.ID, bad, "http://example.org"); !field(err, "name") {
			t.Errorf("device name %q: %v", bad, err)
		}
		w := checkin.WalkIn{EventID: f.A.ID, FirstName: bad, LastName: "In", Country: "LV", Participation: "local", Consent: true}
		if _, err := svc.RegisterWalkIn(ctx, dev, nil, w); !field(err, "first_name") {
			t.Errorf("walk-in name %q: %v", bad, err)
		}
		m := checkin.Manual{EventID: f.A.ID, RegistrationID: f.People[1].Reg.ID, Reason: "lost " + bad}
		if _, err := svc.AdmitManual(ctx, dev, m); !field(err, "reason") {
			t.Errorf("desk reason %q: %v", bad, err)
		}
	}
	if n := count(t, st, `SELECT count(*) FROM devices WHERE name LIKE 'Door%'`); n != 0 {
		t.Errorf("%d devices stored", n)
	}
}

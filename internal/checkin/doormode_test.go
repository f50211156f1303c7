package checkin_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/tickets"
)

// TestExitsAndPeopleInside: an event that counts exits records them (door
// mode "out"), its live counts say who is inside now, someone back from
// outside is let in again, and the admissions (what the reports count) stay
// one per person and day whatever the exits. Elsewhere "out" is refused.
func TestExitsAndPeopleInside(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 3)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	cancelled := f.People[2]
	f.Cancel(t, cancelled.Reg.ID)
	scan := func(i int, out, offline bool) checkin.Result {
		t.Helper()
		sc := checkin.Scan{EventID: f.A.ID, Payload: f.People[i].Ticket.Payload, ScanID: uuid.NewString(), Out: out, Offline: offline}
		if offline {
			sc.ScannedAt = time.Now().Add(-time.Minute)
		}
		res, err := svc.Scan(ctx, dev, sc)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	inside := func(want int) {
		t.Helper()
		c, err := svc.Counts(ctx, f.A.ID, f.Today)
		if err != nil {
			t.Fatal(err)
		}
		if !c.CountsExits || c.Inside == nil || *c.Inside != want {
			t.Fatalf("counts %+v, want %d inside", c, want)
		}
	}

	// Not an event that counts exits: "out" is a field error, nothing logged.
	_, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: uuid.NewString(), Out: true})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["direction"] != "doormode.error.direction" {
		t.Fatalf("exit at an event without exits: %v", err)
	}
	if c, err := svc.Counts(ctx, f.A.ID, f.Today); err != nil || c.CountsExits || c.Inside != nil {
		t.Fatalf("counts of an event without exits: %+v %v", c, err)
	}
	if err := svc.SetCountsExits(ctx, nil, f.A.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := scan(0, false, false); r.Result != checkin.Admitted {
		t.Fatalf("first entry: %+v", r)
	}
	if r := scan(1, false, false); r.Result != checkin.Admitted {
		t.Fatalf("first entry of person 1: %+v", r)
	}
	inside(2)
	if r := scan(0, true, false); r.Result != checkin.Exited || r.Attendee == nil || r.FirstAdmittedAt == nil {
		t.Fatalf("exit: %+v", r)
	}
	inside(1)
	if r := scan(0, true, false); r.Result != checkin.Exited {
		t.Fatalf("second exit: %+v", r)
	}
	inside(1)
	// Back in: let in, inside again, and no second admission.
	if r := scan(0, false, false); r.Result != checkin.Admitted || r.FirstAdmittedAt == nil {
		t.Fatalf("back in: %+v", r)
	}
	inside(2)
	if r := scan(0, false, false); r.Result != checkin.AlreadyAdmitted {
		t.Fatalf("in twice without going out: %+v", r)
	}
	// An exit queued offline is settled the same way, and logged as offline.
	if r := scan(1, true, true); r.Result != checkin.Exited {
		t.Fatalf("offline exit: %+v", r)
	}
	inside(1)
	if n := count(t, st, `SELECT count(*) FROM scans WHERE event_id = $1 AND result = 'exited' AND offline`, f.A.ID); n != 1 {
		t.Fatalf("%d offline exits logged", n)
	}
	// Not admitted today, or cancelled: no exit recorded.
	extra := f.Add(t, f.A, "NeverIn", f.Today)
	res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: extra.Ticket.Payload, ScanID: uuid.NewString(), Out: true})
	if err != nil || res.Result != checkin.NotInside {
		t.Fatalf("exit of someone never in: %+v %v", res, err)
	}
	if r := scan(2, true, false); r.Result != checkin.Cancelled {
		t.Fatalf("exit with a cancelled ticket: %+v", r)
	}
	inside(1)
	// The reports' figure: one admission per person and day, whatever the exits.
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND undone_at IS NULL`, f.A.ID); n != 2 {
		t.Fatalf("%d admissions, want 2", n)
	}
	groups, err := st.RegistrationGroups(ctx, st.DB, []int64{f.A.ID})
	if err != nil {
		t.Fatal(err)
	}
	admitted := 0
	for _, g := range groups {
		if g.Admitted() {
			admitted += g.N
		}
	}
	if admitted != 2 {
		t.Fatalf("report: %d direct participants, want 2", admitted)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'event.door_mode'`); n != 1 {
		t.Fatalf("%d audit entries for the door mode", n)
	}
	// Turned off again: "out" is refused again.
	if err := svc.SetCountsExits(ctx, nil, f.A.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: f.People[0].Ticket.Payload, ScanID: uuid.NewString(), Out: true})
	if !errors.As(err, new(*apperr.Invalid)) {
		t.Fatalf("exit after the door mode was turned off: %v", err)
	}
}

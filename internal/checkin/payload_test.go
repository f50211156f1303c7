package checkin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// The statement goes on only with the ticket's own stored payload: any other
// text, or a ticket it does not know, writes nothing and answers
// ErrUnverified, alone, in a transaction and in a batch alike.
func TestDoorScanPayloadMustBeStored(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 3)
	dev, tok := f.Device(t, f.A, "Door 1")
	scan := func(payload string, ticket int64) store.DoorScan {
		return store.DoorScan{TokenHash: auth.Hash(tok), DeviceID: &dev, EventID: f.A.ID, TicketID: &ticket,
			Day: f.Today, At: time.Now(), ScanID: uuid.NewString(), Today: true, Payload: payload}
	}
	p0, p1 := f.People[0], f.People[1]
	refused := []store.DoorScan{
		scan(forge(p0.Ticket.Payload), p0.Ticket.ID), // another text
		scan(p1.Ticket.Payload, p0.Ticket.ID),        // another ticket's text
		scan(p0.Ticket.Payload, p0.Ticket.ID+1000),   // a ticket it does not know
	}
	for i, ds := range refused {
		if _, ok, err := st.DoorScanRun(ctx, st.DB, ds); !errors.Is(err, store.ErrUnverified) || ok {
			t.Errorf("scan %d on the pool: ok=%v err=%v, want ErrUnverified", i, ok, err)
		}
		err := st.InTx(ctx, func(tx *sqlx.Tx) error {
			ds.ScanID = uuid.NewString()
			_, _, err := st.DoorScanRun(ctx, tx, ds)
			return err
		})
		if !errors.Is(err, store.ErrUnverified) {
			t.Errorf("scan %d in a transaction: err=%v, want ErrUnverified", i, err)
		}
	}
	// A batch: the refused scans among good ones, sent at once.
	good := []store.DoorScan{scan(p0.Ticket.Payload, p0.Ticket.ID), scan(p1.Ticket.Payload, p1.Ticket.ID)}
	all := append(append([]store.DoorScan{}, refused...), good...)
	type answer struct {
		ok  bool
		err error
	}
	answers := make(chan answer, len(all)*4)
	for range 4 {
		for _, ds := range all {
			ds.ScanID = uuid.NewString()
			go func() {
				_, ok, err := st.DoorScanRun(ctx, st.DB, ds)
				answers <- answer{ok, err}
			}()
		}
	}
	var unverified, written int
	for range len(all) * 4 {
		a := <-answers
		switch {
		case errors.Is(a.err, store.ErrUnverified):
			unverified++
		case a.err == nil && a.ok:
			written++
		default:
			t.Errorf("answer ok=%v err=%v", a.ok, a.err)
		}
	}
	if unverified != len(refused)*4 || written != len(good)*4 {
		t.Errorf("%d unverified and %d written, want %d and %d", unverified, written, len(refused)*4, len(good)*4)
	}
	if n := count(t, st, `SELECT count(*) FROM scans`); n != written {
		t.Errorf("%d scans logged, want %d (the refused wrote nothing)", n, written)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE undone_at IS NULL`); n != 2 {
		t.Errorf("%d admissions, want 2", n)
	}
}

// A genuine payload that is no longer its ticket's stored text (an
// anonymised ticket, or one stored otherwise) is checked by its signature
// and scanned as it always was; a forged one still answers bad_signature;
// each is logged once.
func TestScanPayloadNotStored(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	svc := checkin.New(st, tickets.New(st), time.Now)
	_, tok := f.Device(t, f.A, "Door 1")
	dev := f.Principal(t, tok)
	p := f.People[0]
	if _, err := st.DB.ExecContext(ctx, `UPDATE tickets SET payload = 'stored-otherwise-' || id WHERE id = $1`, p.Ticket.ID); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: p.Ticket.Payload, ScanID: uuid.NewString()})
	if err != nil || res.Result != checkin.Admitted {
		t.Fatalf("genuine payload stored otherwise: %v %+v, want admitted", err, res)
	}
	res, err = svc.Scan(ctx, dev, checkin.Scan{EventID: f.A.ID, Payload: forge(f.People[1].Ticket.Payload), ScanID: uuid.NewString()})
	if err != nil || res.Result != checkin.Invalid || res.Reason != "bad_signature" {
		t.Fatalf("forged: %v %+v, want invalid/bad_signature", err, res)
	}
	if n := count(t, st, `SELECT count(*) FROM scans`); n != 2 {
		t.Fatalf("%d scans logged, want 2", n)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions`); n != 1 {
		t.Fatalf("%d admissions, want 1", n)
	}
}

// A batch held up (here by an uncommitted admission of its person, as an
// offline upload's transaction holds one) does not hold up the door: the
// next scan, of another device, goes beside it and is answered while the
// first still waits.
func TestDoorBatchHeldUp(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	dev1, tok1 := f.Device(t, f.A, "Door 1")
	dev2, tok2 := f.Device(t, f.A, "Door 2")
	scan := func(p checkintest.Person, dev int64, tok string) store.DoorScan {
		return store.DoorScan{TokenHash: auth.Hash(tok), DeviceID: &dev, EventID: f.A.ID, TicketID: &p.Ticket.ID,
			Day: f.Today, At: time.Now(), ScanID: uuid.NewString(), Today: true, Payload: p.Ticket.Payload}
	}
	tx, err := st.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO admissions (event_id, registration_id, day, admitted_at, method, reason)
		VALUES ($1, $2, $3, now(), 'desk', 'held')`, f.A.ID, f.People[0].Reg.ID, f.Today); err != nil {
		t.Fatal(err)
	}
	held := make(chan error, 1)
	go func() {
		_, _, err := st.DoorScanRun(ctx, st.DB, scan(f.People[0], dev1, tok1))
		held <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first batch is waiting for the lock
	select {
	case err := <-held:
		t.Fatalf("the held scan was answered while its person's admission was uncommitted: %v", err)
	default:
	}
	start := time.Now()
	answer, ok, err := st.DoorScanRun(ctx, st.DB, scan(f.People[1], dev2, tok2))
	if err != nil || !ok || !strings.Contains(string(answer), `"result": "admitted"`) {
		t.Fatalf("the next scan: ok=%v err=%v %s", ok, err, answer)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the next scan waited %v behind the held batch", d)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-held; err != nil {
		t.Fatalf("the held scan, once the lock went: %v", err)
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE undone_at IS NULL`); n != 2 {
		t.Fatalf("%d admissions, want 2", n)
	}
}

package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// The door's statements are prepared in the background; until then, and
// with the only connection inside a transaction, the plain statements run
// (preparing there would wait for a connection forever).
func TestPreparedStatements(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, dbtest.URL(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.Sealer = dbtest.Keyring(t)
	f := checkintest.New(t, st, 2)
	_, tok := f.Device(t, f.A, "Door 1")

	look := func(q sqlx.QueryerContext, ticketID int64) (store.TicketAdmission, error) {
		a := store.Admission{EventID: f.A.ID, Day: f.Today, AdmittedAt: time.Now()}
		return st.TicketAdmit(ctx, q, ticketID, &a, false)
	}
	err = st.InTx(ctx, func(tx *sqlx.Tx) error {
		_, err := look(tx, -1)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("plain statement in the only connection's transaction: %v", err)
	}
	for !st.HotReady() {
		if ctx.Err() != nil {
			t.Fatal("statements never prepared")
		}
		look(st.DB, -1) // starts (or restarts) the preparation
		time.Sleep(20 * time.Millisecond)
	}

	// The same answers through the prepared statements, in a transaction and outside.
	o, err := st.TokenOwner(ctx, st.DB, auth.Hash(tok))
	if err != nil || o.DeviceID == nil || *o.DeviceEventID != f.A.ID {
		t.Fatalf("token owner: %+v %v", o, err)
	}
	if _, err := st.TokenOwner(ctx, st.DB, auth.Hash("att_nonsense")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	p := f.People[0]
	scanID := uuid.NewString()
	err = st.InTx(ctx, func(tx *sqlx.Tx) error {
		person, err := look(tx, p.Ticket.ID)
		if err != nil {
			return err
		}
		if person.RegistrationID != p.Reg.ID || person.LastName != p.Reg.LastName || len(person.Days) != 2 {
			t.Errorf("person %+v", person)
		}
		a := store.Admission{EventID: f.A.ID, RegistrationID: p.Reg.ID, Day: f.Today, AdmittedAt: time.Now(), ScanID: &scanID, DeviceID: o.DeviceID}
		if in, err := st.AdmitOnce(ctx, tx, &a); err != nil || !in || a.ID == 0 {
			t.Errorf("first admission: %v %v %+v", in, err, a)
		}
		again := a
		if in, err := st.AdmitOnce(ctx, tx, &again); err != nil || in {
			t.Errorf("second admission: %v %v", in, err)
		}
		cur, err := st.LockAdmission(ctx, tx, p.Reg.ID, f.Today)
		if err != nil || cur.ID != a.ID || cur.DeviceName == nil || *cur.DeviceName != "Door 1" {
			t.Errorf("current admission %+v %v", cur, err)
		}
		sc := store.Scan{ScanID: scanID, EventID: f.A.ID, Day: f.Today, Result: "admitted", ScannedAt: time.Now(),
			DeviceID: o.DeviceID, RegistrationID: &p.Reg.ID, Response: store.JSON(`{"result":"admitted"}`)}
		if err := st.InsertScan(ctx, tx, &sc); err != nil || sc.ID == 0 {
			t.Errorf("insert scan: %v %+v", err, sc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A repeated scan id is still the named constraint the door replays on.
	err = st.InTx(ctx, func(tx *sqlx.Tx) error {
		sc := store.Scan{ScanID: scanID, EventID: f.A.ID, Day: f.Today, Result: "invalid", ScannedAt: time.Now(), Response: store.JSON(`{}`)}
		return st.InsertScan(ctx, tx, &sc)
	})
	if !store.IsConstraint(err, "scans_scan_id_key") || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("repeated scan id: %v", err)
	}
	var n int
	if err := st.DB.GetContext(ctx, &n, `SELECT count(*) FROM scans`); err != nil || n != 1 {
		t.Fatalf("%d scans (%v), want 1", n, err)
	}
	if _, err := st.LockAdmission(ctx, st.DB, -1, f.Today); !errors.Is(err, store.ErrNotFound) || !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("no admission: %v", err)
	}

	// The person and the admission in one statement: only when the caller
	// may admit, the registration is confirmed and the ticket live, once a day.
	q := f.People[1]
	admit := func(ticketID int64, may bool) (store.TicketAdmission, store.Admission, error) {
		sid := uuid.NewString()
		a := store.Admission{EventID: f.A.ID, Day: f.Today, AdmittedAt: time.Now(), ScanID: &sid, DeviceID: o.DeviceID}
		var ta store.TicketAdmission
		err := st.InTx(ctx, func(tx *sqlx.Tx) error {
			var err error
			ta, err = st.TicketAdmit(ctx, tx, ticketID, &a, may)
			return err
		})
		return ta, a, err
	}
	if ta, a, err := admit(q.Ticket.ID, false); err != nil || ta.AdmissionID != nil || a.ID != 0 || ta.RegistrationID != q.Reg.ID || ta.Status != "confirmed" {
		t.Fatalf("may not admit: %+v %+v %v", ta, a, err)
	}
	ta, a, err := admit(q.Ticket.ID, true)
	if err != nil || ta.AdmissionID == nil || a.ID != *ta.AdmissionID || a.RegistrationID != q.Reg.ID || ta.LastName != q.Reg.LastName {
		t.Fatalf("first admission: %+v %+v %v", ta, a, err)
	}
	if ta, _, err := admit(q.Ticket.ID, true); err != nil || ta.AdmissionID != nil {
		t.Fatalf("second admission the same day: %+v %v", ta, err)
	}
	if _, _, err := admit(-1, true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown ticket: %v", err)
	}
	if _, err := st.DB.ExecContext(ctx, `UPDATE admissions SET undone_at = now() WHERE registration_id = $1`, q.Reg.ID); err != nil {
		t.Fatal(err)
	}
	f.Cancel(t, q.Reg.ID)
	if ta, _, err := admit(q.Ticket.ID, true); err != nil || ta.AdmissionID != nil || ta.Status != "cancelled" {
		t.Fatalf("cancelled: %+v %v", ta, err)
	}
	if err := st.DB.GetContext(ctx, &n, `SELECT count(*) FROM admissions WHERE registration_id = $1 AND undone_at IS NULL`, q.Reg.ID); err != nil || n != 0 {
		t.Fatalf("%d live admissions of a cancelled person (%v)", n, err)
	}
}

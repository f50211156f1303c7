// Package checkintest builds door test data on a real database: a project,
// two events running today (UTC) and confirmed registrations with signed
// tickets, plus helpers for devices and staff.
package checkintest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// Fixture is a project with event A (yesterday to tomorrow) and event B
// (same days), and People registered for A.
type Fixture struct {
	St      *store.Store
	Project store.Project
	Partner store.Partner
	A, B    store.Event
	Today   time.Time // UTC midnight
	People  []Person
}

// Person is a registration with its live ticket.
type Person struct {
	Reg    store.Registration
	Ticket store.Ticket
}

// New creates the fixture with n people registered for A for today and tomorrow.
func New(t testing.TB, st *store.Store, n int) *Fixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	f := &Fixture{St: st, Today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
	err := st.InTx(ctx, func(tx *sqlx.Tx) error {
		f.Project = store.Project{Code: fmt.Sprintf("door-%d", now.UnixNano()%1e9), Title: store.Texts{"en": "Door test"}, RetentionYears: 5}
		if err := st.CreateProject(ctx, tx, &f.Project); err != nil {
			return err
		}
		pn := store.PrivacyNotice{ProjectID: f.Project.ID, Version: 1, Language: "en", Body: "Notice"}
		if err := st.CreatePrivacyNotice(ctx, tx, &pn); err != nil {
			return err
		}
		f.Partner = store.Partner{ProjectID: f.Project.ID, Slug: "kaunas", Organisation: "Kaunas City", City: "Kaunas", Country: "LT"}
		if err := st.CreatePartner(ctx, tx, &f.Partner); err != nil {
			return err
		}
		for i, ev := range []*store.Event{&f.A, &f.B} {
			*ev = store.Event{ProjectID: f.Project.ID, Slug: fmt.Sprintf("%s-%c", f.Project.Code, 'a'+i), Number: i + 1,
				Title: store.Texts{"en": fmt.Sprintf("Event %c", 'A'+i)}, City: "Lodz", Country: "PL",
				FirstDay: f.Today.AddDate(0, 0, -1), LastDay: f.Today.AddDate(0, 0, 1), TimeZone: "UTC"}
			if err := st.CreateEvent(ctx, tx, ev); err != nil {
				return err
			}
		}
		for i := range n {
			p, err := f.add(ctx, tx, f.A, fmt.Sprintf("Person%d", i), []time.Time{f.Today, f.Today.AddDate(0, 0, 1)})
			if err != nil {
				return err
			}
			f.People = append(f.People, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("checkintest: %v", err)
	}
	return f
}

// Add registers one more confirmed person for ev on days, with a ticket.
func (f *Fixture) Add(t testing.TB, ev store.Event, last string, days ...time.Time) Person {
	t.Helper()
	var p Person
	err := f.St.InTx(context.Background(), func(tx *sqlx.Tx) error {
		var err error
		p, err = f.add(context.Background(), tx, ev, last, days)
		return err
	})
	if err != nil {
		t.Fatalf("checkintest: add: %v", err)
	}
	return p
}

func (f *Fixture) add(ctx context.Context, tx *sqlx.Tx, ev store.Event, last string, days []time.Time) (Person, error) {
	email := fmt.Sprintf("%s.%d@example.org", last, time.Now().UnixNano())
	now := time.Now()
	r := store.Registration{EventID: ev.ID, Status: store.StatusConfirmed, FirstName: "Test", LastName: last, Email: &email,
		Country: "LT", City: "Kaunas", Participation: store.Invited, PartnerID: &f.Partner.ID, ConfirmedAt: &now}
	if err := f.St.InsertRegistration(ctx, tx, &r, days); err != nil {
		return Person{}, err
	}
	tk, err := tickets.New(f.St).Issue(ctx, tx, r.ID, "issued")
	return Person{Reg: r, Ticket: tk}, err
}

// Cancel marks a registration cancelled and revokes its ticket, as the
// registration use case does.
func (f *Fixture) Cancel(t testing.TB, regID int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.St.DB.ExecContext(ctx, `UPDATE registrations SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, regID); err != nil {
		t.Fatal(err)
	}
	if err := f.St.RevokeTickets(ctx, f.St.DB, regID, "cancelled"); err != nil {
		t.Fatal(err)
	}
}

// Device creates a door device for ev and returns its id and bearer token.
func (f *Fixture) Device(t testing.TB, ev store.Event, name string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	d := store.Device{EventID: ev.ID, Name: name}
	if err := f.St.CreateDevice(ctx, f.St.DB, &d); err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:8], DeviceID: &d.ID, Scopes: []string{auth.ScopeScan}}
	if err := f.St.CreateToken(ctx, f.St.DB, &tok); err != nil {
		t.Fatal(err)
	}
	return d.ID, plain
}

// User creates a staff user with role, granted events (for door staff).
func (f *Fixture) User(t testing.TB, role string, events ...store.Event) store.User {
	t.Helper()
	ctx := context.Background()
	u := store.User{Email: fmt.Sprintf("%s.%d@example.org", role, time.Now().UnixNano()), Name: "Staff " + role, Role: role}
	if err := f.St.CreateUser(ctx, f.St.DB, &u); err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if err := f.St.GrantEvent(ctx, f.St.DB, u.ID, ev.ID, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// Principal loads the principal of a device token as the web layer would.
func (f *Fixture) Principal(t testing.TB, token string) *auth.Principal {
	t.Helper()
	p, err := auth.New(f.St, time.Now).Bearer(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

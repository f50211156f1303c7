// Package regtest holds test helpers for the registration capability: a
// recording notifier that writes the messages it is asked to send into the
// outbox table (so tests can read links from them), and event fixtures.
package regtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
)

// Notifier records every message as an outbox row (kind = the method name),
// in the caller's transaction, with the links in the text body. It stands in
// for the mail composer, not for the database.
type Notifier struct{}

var _ notify.Notifier = Notifier{}

func (Notifier) record(ctx context.Context, q sqlx.ExtContext, kind string, n notify.Notice) error {
	to := n.To
	if to == "" && n.Registration.Email != nil {
		to = *n.Registration.Email
	}
	if to == "" {
		return fmt.Errorf("%s: no recipient for registration %d", kind, n.Registration.ID)
	}
	var b [8]byte
	rand.Read(b[:])
	body := fmt.Sprintf("Hello %s %s,\nevent: %s\nstatus: %s\n", n.Registration.FirstName, n.Registration.LastName,
		n.Event.Title.In("en"), n.Registration.Status)
	if n.ConfirmURL != "" {
		body += "confirm: " + n.ConfirmURL + "\n"
	}
	body += "manage: " + n.ManageURL + "\n"
	_, err := q.ExecContext(ctx, `INSERT INTO outbox (message_id, kind, registration_id, to_addr, language, subject, text_body)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		"<"+hex.EncodeToString(b[:])+"@test>", kind, n.Registration.ID, to, n.Registration.Language, kind, body)
	return err
}

func (x Notifier) Confirm(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	if n.ConfirmURL == "" {
		return fmt.Errorf("confirm without link")
	}
	return x.record(ctx, q, "confirm", n)
}
func (x Notifier) Confirmed(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "confirmed", n)
}

// Issued sends nothing (the recording notifier issues no tickets either).
func (x Notifier) Issued(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error { return nil }
func (x Notifier) Waitlisted(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "waitlisted", n)
}
func (x Notifier) Promoted(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "promoted", n)
}
func (x Notifier) Changed(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "changed", n)
}
func (x Notifier) Cancelled(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "cancelled", n)
}
func (x Notifier) ManageLink(ctx context.Context, q sqlx.ExtContext, n notify.Notice) error {
	return x.record(ctx, q, "manage_link", n)
}

// Mail is a recorded message.
type Mail struct {
	ID             int64  `db:"id"`
	Kind           string `db:"kind"`
	RegistrationID *int64 `db:"registration_id"`
	To             string `db:"to_addr"`
	Body           string `db:"text_body"`
}

// Mails lists the messages recorded for an address, oldest first.
func Mails(t testing.TB, st *store.Store, to string) []Mail {
	t.Helper()
	var ms []Mail
	if err := st.DB.Select(&ms, `SELECT id, kind, registration_id, to_addr, text_body FROM outbox
		WHERE lower(to_addr) = lower($1) ORDER BY id`, to); err != nil {
		t.Fatal(err)
	}
	return ms
}

// Last returns the newest message of kind to an address, failing the test when there is none.
func Last(t testing.TB, st *store.Store, to, kind string) Mail {
	t.Helper()
	ms := Mails(t, st, to)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Kind == kind {
			return ms[i]
		}
	}
	t.Fatalf("no %q message to %s (have %d messages)", kind, to, len(ms))
	return Mail{}
}

var linkRE = regexp.MustCompile(`(?m)^(confirm|manage): (\S+)$`)

// Link returns the URL labelled label ("confirm" or "manage") in a message.
func (m Mail) Link(t testing.TB, label string) string {
	t.Helper()
	for _, sm := range linkRE.FindAllStringSubmatch(m.Body, -1) {
		if sm[1] == label {
			return sm[2]
		}
	}
	t.Fatalf("no %s link in message %d", label, m.ID)
	return ""
}

// Path strips the scheme and host of a link.
func Path(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			return u[i+3+j:]
		}
	}
	return u
}

// Fixture is a project with partners and one open event.
type Fixture struct {
	Project  store.Project
	Partners map[string]store.Partner
	Event    store.Event
}

// NewFixture creates a project with a lead partner in Daugavpils (LV) and
// partners in Kaunas (LT) and Lodz (PL), a privacy notice, and a three-day
// event in Daugavpils next month with the given capacity (nil: unlimited),
// registration open.
func NewFixture(t testing.TB, st *store.Store, slug string, capacity *int) Fixture {
	t.Helper()
	ctx := context.Background()
	f := Fixture{Partners: map[string]store.Partner{}}
	f.Project = store.Project{Code: slug, Title: store.Texts{"en": "Test project " + slug}}
	if err := st.CreateProject(ctx, st.DB, &f.Project); err != nil {
		t.Fatal(err)
	}
	for i, p := range []store.Partner{
		{Slug: "daugavpils", Organisation: "Daugavpils City Council", City: "Daugavpils", Country: "LV", IsLead: true},
		{Slug: "kaunas", Organisation: "Kaunas City Municipality", City: "Kaunas", Country: "LT"},
		{Slug: "lodz", Organisation: "Łódzkie Region", City: "Łódź", Country: "PL"},
	} {
		p.ProjectID, p.Position = f.Project.ID, i
		if err := st.CreatePartner(ctx, st.DB, &p); err != nil {
			t.Fatal(err)
		}
		f.Partners[p.Slug] = p
	}
	for _, lang := range []string{"en", "lv", "ru"} {
		n := store.PrivacyNotice{ProjectID: f.Project.ID, Version: 1, Language: lang,
			Body: "Privacy notice (" + lang + "): recipients include the European Commission and the Court of Auditors."}
		if err := st.CreatePrivacyNotice(ctx, st.DB, &n); err != nil {
			t.Fatal(err)
		}
	}
	host := f.Partners["daugavpils"].ID
	first := time.Now().UTC().AddDate(0, 1, 0).Truncate(24 * time.Hour)
	f.Event = store.Event{
		ProjectID: f.Project.ID, Slug: slug, Number: 1, HostPartnerID: &host,
		Title:       store.Texts{"en": "Final conference", "lv": "Noslēguma konference", "ru": "Заключительная конференция"},
		Description: store.Texts{"en": "Results of the network."},
		Venue:       "Latgales Zoo & Conference Hall", City: "Daugavpils", Country: "LV",
		FirstDay: first, LastDay: first.AddDate(0, 0, 2), TimeZone: "Europe/Riga", Capacity: capacity,
		RegistrationState: "open",
	}
	if err := st.CreateEvent(ctx, st.DB, &f.Event); err != nil {
		t.Fatal(err)
	}
	return f
}

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }

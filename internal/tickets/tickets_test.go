package tickets_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

func setup(t *testing.T) (*store.Store, []store.Event) {
	t.Helper()
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.ProjectEvents(ctx, st.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st, evs
}

func register(t *testing.T, st *store.Store, ev store.Event, status, first, last string) store.Registration {
	t.Helper()
	r := store.Registration{EventID: ev.ID, Status: store.Status(status), FirstName: first, LastName: last, Country: "LT", Participation: "invited"}
	if err := st.InsertRegistration(context.Background(), st.DB, &r, ev.Days()); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestIssueRevokeRotate(t *testing.T) {
	st, evs := setup(t)
	ctx := context.Background()
	svc := tickets.New(st)
	ev := evs[1]
	r := register(t, st, ev, "confirmed", "Jūratė", "Žemaitė")

	t1, err := svc.Issue(ctx, st.DB, r.ID, "issued")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := svc.PublicKeys(ctx, st.DB, ev.ID)
	c, err := ticketcode.Verify(t1.Payload, ev.ID, keys)
	if err != nil || c.TicketID != t1.ID || len(c.Days) != len(ev.Days()) {
		t.Fatalf("issued ticket: %+v %v", c, err)
	}
	if v, _ := qr.Version(t1.Payload); v > 10 {
		t.Errorf("payload needs QR version %d, want at most 10", v)
	}

	// Rotation: the new key signs, the old one still verifies.
	newKey, err := svc.RotateKey(ctx, st.DB, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := svc.Issue(ctx, st.DB, r.ID, "reissued")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ = svc.PublicKeys(ctx, st.DB, ev.ID)
	if len(keys) != 2 {
		t.Fatalf("%d keys after rotation", len(keys))
	}
	c2, err := ticketcode.Verify(t2.Payload, ev.ID, keys)
	if err != nil || c2.KeyID != newKey.KID {
		t.Errorf("re-issued ticket signed by %q (%v), want the newest key %q", c2.KeyID, err, newKey.KID)
	}
	if _, err := ticketcode.Verify(t1.Payload, ev.ID, keys); err != nil {
		t.Errorf("old payload no longer verifies with the old key still valid: %v", err)
	}
	// ...but it is revoked: the scanner's list names it.
	revoked, _ := st.RevokedTicketIDs(ctx, st.DB, ev.ID)
	if len(revoked) != 1 || revoked[0] != t1.ID {
		t.Errorf("revocation list %v, want [%d]", revoked, t1.ID)
	}
	// Retiring the old key: its payloads are from an unknown key.
	old, _ := st.EventKeys(ctx, st.DB, ev.ID)
	if err := st.RetireEventKey(ctx, st.DB, old[len(old)-1].ID); err != nil {
		t.Fatal(err)
	}
	keys, _ = svc.PublicKeys(ctx, st.DB, ev.ID)
	if _, err := ticketcode.Verify(t1.Payload, ev.ID, keys); !errors.Is(err, ticketcode.ErrUnknownKey) {
		t.Errorf("payload of a retired key: %v, want ErrUnknownKey", err)
	}

	// Cancelling revokes; a non-confirmed registration gets no ticket.
	if err := svc.Revoke(ctx, st.DB, r.ID, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LiveTicket(ctx, st.DB, r.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("live ticket after revoke: %v", err)
	}
	w := register(t, st, ev, "waitlisted", "A", "B")
	if _, err := svc.Issue(ctx, st.DB, w.ID, "issued"); err == nil {
		t.Error("waitlisted registration got a ticket")
	}
}

// Concurrent first issues of one event end with one signing key.
func TestFirstKeyOnce(t *testing.T) {
	st, evs := setup(t)
	ctx := context.Background()
	svc := tickets.New(st)
	ev := evs[2]
	var rs []store.Registration
	for i := range 6 {
		rs = append(rs, register(t, st, ev, "confirmed", "P", string(rune('A'+i))))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(rs))
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.InTx(ctx, func(tx *sqlx.Tx) error {
				_, err := svc.Issue(ctx, tx, r.ID, "issued")
				return err
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	keys, _ := st.EventKeys(ctx, st.DB, ev.ID)
	if len(keys) != 1 {
		t.Errorf("%d keys after concurrent first issues, want 1", len(keys))
	}
	n, err := svc.IssueMissing(ctx, st.DB, ev.ID)
	if err != nil || n != 0 {
		t.Errorf("IssueMissing after issuing all: %d %v", n, err)
	}
	extra := register(t, st, ev, "confirmed", "Q", "R")
	if n, err := svc.IssueMissing(ctx, st.DB, ev.ID); err != nil || n != 1 {
		t.Errorf("IssueMissing: %d %v", n, err)
	}
	if _, err := st.LiveTicket(ctx, st.DB, extra.ID); err != nil {
		t.Error(err)
	}
}

// The PDF ticket prints names of every partner language as typed; what the
// font lacks (emoji) is dropped, never a crash or an empty box.
func TestPDFNames(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	st, evs := setup(t)
	ctx := context.Background()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ev := evs[0]
	cases := []struct{ lang, first, last, want string }{
		{"lv", "Kārlis", "Ķēniņš", "Kārlis Ķēniņš"},
		{"lt", "Jūratė", "Žemaitė-Čiurlionienė", "Jūratė Žemaitė-Čiurlionienė"},
		{"pl", "Zbigniew", "Łódźki-Świętochowski", "Zbigniew Łódźki-Świętochowski"},
		{"ro", "Ștefan", "Mureșan", "Ștefan Mureșan"},
		{"da", "Søren", "Ærø-Åby", "Søren Ærø-Åby"},
		{"ru", "Алексей", "Щукин", "Алексей Щукин"},
		{"de", "Jürgen", "Größe 🎉", "Jürgen Größe"},
		{"es", "José", "Núñez", "José Núñez"},
	}
	for _, c := range cases {
		r := register(t, st, ev, "confirmed", c.first, c.last)
		r.Language = c.lang
		tk, err := tickets.New(st).Issue(ctx, st.DB, r.ID, "issued")
		if err != nil {
			t.Fatal(err)
		}
		sizes := []pdfdoc.Size{pdfdoc.A4}
		if c.lang == "lt" {
			sizes = append(sizes, pdfdoc.Phone)
		}
		for _, size := range sizes {
			pdf, err := tickets.PDF(tickets.NewDocument(b.Localizer(c.lang), r, ev, tk, "DeCoDe"), size)
			if err != nil {
				t.Fatalf("%s: %v", c.lang, err)
			}
			f := filepath.Join(t.TempDir(), "t.pdf")
			os.WriteFile(f, pdf, 0o600)
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			if !strings.Contains(text, c.want) {
				t.Errorf("%s %v: PDF lacks %q:\n%s", c.lang, size, c.want, text)
			}
			if !strings.Contains(text, b.Localizer(c.lang).T("ticketpage.heading")) || !strings.Contains(text, tickets.FormatCode(tk.Code)) {
				t.Errorf("%s: heading or code missing", c.lang)
			}
		}
	}
}

// Issuing inside a transaction (a savepoint) and outside one (a plain insert)
// both store the ticket, and the transaction stays usable afterwards.
func TestIssueSavepoint(t *testing.T) {
	st, evs := setup(t)
	ctx := context.Background()
	svc := tickets.New(st)
	r := register(t, st, evs[1], "confirmed", "Ona", "Savickienė")
	var n int
	err := st.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := svc.Issue(ctx, tx, r.ID, "issued"); err != nil {
			return err
		}
		return tx.Get(&n, `SELECT count(*) FROM tickets WHERE registration_id = $1`, r.ID)
	})
	if err != nil || n != 1 {
		t.Fatalf("issue in a transaction: %d tickets, %v", n, err)
	}
	r2 := register(t, st, evs[1], "confirmed", "Ieva", "Savickaitė")
	if _, err := svc.Issue(ctx, st.DB, r2.ID, "issued"); err != nil {
		t.Fatalf("issue outside a transaction: %v", err)
	}
}

package mail_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/store"
)

var untranslated = regexp.MustCompile(`(?:^|[^\w-])(?:mail|ticketpage)\.[a-z_]+\.?[a-z_]*`)

func outboxRows(t *testing.T, st *store.Store) []store.OutboxMessage {
	t.Helper()
	ms, err := st.OutboxList(context.Background(), st.DB, store.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// Every kind composes in every language: subject, links, no untranslated keys.
func TestComposeAllKindsAndLanguages(t *testing.T) {
	e := setup(t)
	ev := e.events[0]
	p, _ := e.st.Project(context.Background(), e.st.DB, ev.ProjectID)
	tk := &store.Ticket{ID: 7, Code: "ABCD2345", Payload: "DA1:TEST", Days: []string{ev.FirstDay.Format("2006-01-02")}}
	kinds := []string{mail.KindConfirm, mail.KindTicket, mail.KindWaitlisted, mail.KindPromoted, mail.KindChanged,
		mail.KindCancelled, mail.KindLink, mail.KindReminder}
	subjects := map[string]string{}
	for _, lang := range i18n.Languages {
		for _, kind := range kinds {
			r := store.Registration{ID: 1, EventID: ev.ID, FirstName: "Ona", LastName: "Žukauskaitė", Language: lang, Status: "confirmed"}
			c := mail.Content{Kind: kind, Registration: r, Event: ev, Project: p, Days: ev.Days(), To: "ona@example.org",
				ManageURL: "https://x.example/" + lang + "/r/1/tok", ConfirmURL: "https://x.example/" + lang + "/confirm/ctok", WaitlistPosition: 3}
			// Ticket attachments (a PDF each) in two languages keep the test fast.
			if (kind == mail.KindTicket || kind == mail.KindPromoted) && (lang == "en" || lang == "lv") {
				c.Ticket = tk
			}
			m, err := e.n.Composer.Compose(c)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, kind, err)
			}
			for _, s := range []string{m.Subject, m.Text, m.HTML} {
				if untranslated.MatchString(s) {
					t.Errorf("%s/%s: untranslated key in %q", lang, kind, s[:min(len(s), 200)])
				}
			}
			if !strings.Contains(m.Text, c.ManageURL) || !strings.Contains(m.HTML, c.ManageURL) {
				t.Errorf("%s/%s: private link missing", lang, kind)
			}
			if kind == mail.KindConfirm && !strings.Contains(m.Text, c.ConfirmURL) {
				t.Errorf("%s: confirmation link missing", lang)
			}
			if kind == mail.KindWaitlisted && !strings.Contains(m.Text, "3") {
				t.Errorf("%s: waiting-list position missing", lang)
			}
			if m.Language != lang || !strings.Contains(m.HTML, `lang="`+lang+`"`) {
				t.Errorf("%s/%s: language %q", lang, kind, m.Language)
			}
			if prev, ok := subjects[kind+"/"+m.Subject]; ok && lang != "en" && prev != "en" {
				t.Errorf("%s/%s: same subject as %s: %q", lang, kind, prev, m.Subject)
			}
			subjects[kind+"/"+m.Subject] = lang
		}
	}
	// Hostile text in a name stays text.
	hostile := store.Registration{ID: 1, EventID: ev.ID, FirstName: `<script>alert(1)</script>`, LastName: `"><img src=x onerror=alert(2)>`, Language: "en"}
	m, err := e.n.Composer.Compose(mail.Content{Kind: mail.KindLink, Registration: hostile, Event: ev, Project: p, To: "a@example.org", ManageURL: "https://x.example/en/r/1/t"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>alert") || strings.Contains(m.HTML, "<img src=x") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Error("hostile name is markup in the HTML message")
	}
	if !strings.Contains(m.Text, "<script>alert(1)</script>") {
		t.Error("the plain text should show the name as typed")
	}
	// Unsupported languages fall back to English.
	r := store.Registration{ID: 1, EventID: ev.ID, FirstName: "A", LastName: "B", Language: "xx"}
	m, err = e.n.Composer.Compose(mail.Content{Kind: mail.KindLink, Registration: r, Event: ev, Project: p, To: "a@example.org"})
	if err != nil || !strings.HasPrefix(m.Subject, "Your registration link") {
		t.Errorf("fallback: %q %v", m.Subject, err)
	}
}

func TestNotifierFlows(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	ev := e.events[0]
	r := e.register(t, ev, "ru", "ivan@example.org", "confirmed")
	run := func(fn func(tx *sqlx.Tx) error) {
		t.Helper()
		e.inTx(t, fn)
	}
	run(func(tx *sqlx.Tx) error { return e.n.Confirmed(ctx, tx, e.notice(r, ev)) })
	first, err := e.st.LiveTicket(ctx, e.st.DB, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A change re-issues: the old payload is revoked, a new one is live.
	run(func(tx *sqlx.Tx) error { return e.n.Changed(ctx, tx, e.notice(r, ev)) })
	second, _ := e.st.LiveTicket(ctx, e.st.DB, r.ID)
	if second.ID == first.ID || second.Payload == first.Payload {
		t.Fatal("changed registration kept its ticket")
	}
	old, _ := e.st.Ticket(ctx, e.st.DB, first.ID)
	if old.RevokedAt == nil || old.RevokedReason != "changed" {
		t.Errorf("old ticket: revoked %v (%q)", old.RevokedAt, old.RevokedReason)
	}
	// Cancelling revokes without a new ticket.
	if _, err := e.st.DB.Exec(`UPDATE registrations SET status = 'cancelled' WHERE id = $1`, r.ID); err != nil {
		t.Fatal(err)
	}
	r.Status = "cancelled"
	run(func(tx *sqlx.Tx) error { return e.n.Cancelled(ctx, tx, e.notice(r, ev)) })
	if _, err := e.st.LiveTicket(ctx, e.st.DB, r.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cancelled registration still has a live ticket: %v", err)
	}
	revoked, _ := e.st.RevokedTicketIDs(ctx, e.st.DB, ev.ID)
	if len(revoked) != 2 {
		t.Errorf("revocation list %v, want both tickets", revoked)
	}
	kinds := []string{}
	for _, m := range outboxRows(t, e.st) {
		kinds = append([]string{m.Kind + ":" + m.Language}, kinds...)
	}
	if got := strings.Join(kinds, ","); got != "ticket:ru,changed:ru,cancelled:ru" {
		t.Errorf("messages %s", got)
	}

	// A delegation member without an address: the coordinator gets it (To), or nobody.
	m := e.register(t, ev, "pl", "", "confirmed")
	no := e.notice(m, ev)
	no.To = "coordinator@example.org"
	run(func(tx *sqlx.Tx) error { return e.n.Confirmed(ctx, tx, no) })
	no.To = ""
	run(func(tx *sqlx.Tx) error { return e.n.Changed(ctx, tx, no) })
	rows := outboxRows(t, e.st)
	if rows[0].Kind != "ticket" || rows[0].ToAddr != "coordinator@example.org" {
		t.Errorf("newest message %s to %s; want the ticket to the coordinator", rows[0].Kind, rows[0].ToAddr)
	}
	if _, err := e.st.LiveTicket(ctx, e.st.DB, m.ID); err != nil {
		t.Errorf("member without address has no ticket: %v", err)
	}

	// Waiting list: no ticket, a message.
	w := e.register(t, ev, "de", "greta@example.org", "waitlisted")
	run(func(tx *sqlx.Tx) error { return e.n.Waitlisted(ctx, tx, e.notice(w, ev)) })
	if _, err := e.st.LiveTicket(ctx, e.st.DB, w.ID); !errors.Is(err, store.ErrNotFound) {
		t.Error("waitlisted registration got a ticket")
	}
	if rows := outboxRows(t, e.st); rows[0].Kind != "waitlisted" || !strings.HasPrefix(rows[0].Subject, "Sie stehen auf der Warteliste") {
		t.Errorf("waiting-list message: %s %q", rows[0].Kind, rows[0].Subject)
	}

	// A failure inside the caller's transaction leaves neither ticket nor message.
	before := len(outboxRows(t, e.st))
	x := e.register(t, ev, "en", "x@example.org", "confirmed")
	err = e.st.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := e.n.Confirmed(ctx, tx, e.notice(x, ev)); err != nil {
			return err
		}
		return errors.New("the registration change failed")
	})
	if err == nil || len(outboxRows(t, e.st)) != before {
		t.Error("message outlived the rolled-back change")
	}
	if _, err := e.st.LiveTicket(ctx, e.st.DB, x.ID); !errors.Is(err, store.ErrNotFound) {
		t.Error("ticket outlived the rolled-back change")
	}
}

type fakeLinks struct{}

func (fakeLinks) ManageURL(_ context.Context, _ sqlx.ExtContext, r store.Registration) (string, error) {
	return "https://attend.example.lv/" + r.Language + "/r/" + itoa(r.ID) + "/linktoken", nil
}

// Reminders go once per registration, the day before its first day in the
// event's time zone, whatever the number of concurrent runs.
func TestReminders(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	ev := e.events[0]
	loc, _ := time.LoadLocation("Europe/Riga")
	// 01:00 in Riga on the eve of the event is still the day before the eve
	// in UTC: "tomorrow" is the first day only in the event's calendar.
	eve := ev.FirstDay.AddDate(0, 0, -1)
	now := time.Date(eve.Year(), eve.Month(), eve.Day(), 1, 0, 0, 0, loc)
	if now.UTC().Day() == eve.Day() {
		t.Fatal("test clock does not straddle midnight UTC")
	}
	if _, err := e.st.DB.Exec(`UPDATE events SET time_zone = 'Europe/Riga' WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	due := e.register(t, ev, "lv", "due@example.org", "confirmed")
	e.register(t, ev, "lv", "pending@example.org", "pending_confirmation")
	e.register(t, ev, "lv", "waiting@example.org", "waitlisted")
	e.register(t, ev, "lv", "", "confirmed")
	// A person attending only from the second day is reminded a day later.
	later := e.register(t, ev, "en", "later@example.org", "confirmed")
	if len(ev.Days()) > 1 {
		if err := e.st.SetRegistrationDays(ctx, e.st.DB, later.ID, ev.ID, ev.Days()[1:]); err != nil {
			t.Fatal(err)
		}
	}
	fresh := e.register(t, ev, "lv", "fresh@example.org", "confirmed")
	if _, err := e.st.DB.Exec(`UPDATE registrations SET confirmed_at = $2 WHERE id = $1`, fresh.ID, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	rm := &mail.Reminders{Store: e.st, Notifier: e.n, Links: fakeLinks{}, Now: func() time.Time { return now }}

	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := rm.RunOnce(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	rows := outboxRows(t, e.st)
	if total != 1 || len(rows) != 1 {
		t.Fatalf("queued %v (%d rows), want exactly one reminder", counts, len(rows))
	}
	m := rows[0]
	if m.Kind != "reminder" || m.ToAddr != "due@example.org" || *m.DedupKey != "reminder:"+itoa(due.ID) || !strings.HasPrefix(m.Subject, "Tiekamies rīt") {
		t.Errorf("reminder %+v", m)
	}
	full, _ := e.st.Outbox(ctx, e.st.DB, m.ID)
	if !strings.Contains(full.TextBody, "/lv/r/"+itoa(due.ID)+"/linktoken") {
		t.Error("reminder lacks the private link")
	}
	// Running again queues nothing; the next day reminds the second-day person.
	if n, _ := rm.RunOnce(ctx); n != 0 {
		t.Errorf("second run queued %d", n)
	}
	if len(ev.Days()) > 1 {
		rm.Now = func() time.Time { return now.AddDate(0, 0, 1) }
		if n, _ := rm.RunOnce(ctx); n != 1 {
			t.Errorf("second-day reminder: %d queued", n)
		}
	}
	var last time.Time
	if err := e.st.DB.Get(&last, `SELECT last_run_at FROM job_runs WHERE job = $1`, mail.ReminderJob); err != nil {
		t.Errorf("job run not recorded: %v", err)
	}
}

func TestParseSMTPURL(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		host    string
		port    int
		user    string
		tls     string
		ssl     bool
		secrecy bool // the error must not echo the password
	}{
		{"smtp://user:s3cret@mail.example.org:587", true, "mail.example.org", 587, "user", "required", false, false},
		{"smtp://mail.example.org", true, "mail.example.org", 587, "", "opportunistic", false, false},
		{"smtp://localhost:1025?tls=none", true, "localhost", 1025, "", "none", false, false},
		{"smtps://u:p@mail.example.org", true, "mail.example.org", 465, "u", "required", true, false},
		{"smtp://u:s3cret@mail.example.org:99999", false, "", 0, "", "", false, true},
		{"http://mail.example.org", false, "", 0, "", "", false, false},
		{"smtp://u:s3cret@mail.example.org?tls=maybe", false, "", 0, "", "", false, true},
		{"smtp://", false, "", 0, "", "", false, false},
	}
	for _, c := range cases {
		got, err := mail.ParseSMTPURL(c.in, "a@example.org")
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v", c.in, err)
			continue
		}
		if err != nil {
			if c.secrecy && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s: error echoes the password", c.in)
			}
			continue
		}
		if got.Host != c.host || got.Port != c.port || got.Username != c.user || got.TLS != c.tls || got.SSL != c.ssl {
			t.Errorf("%s: %+v", c.in, got)
		}
	}
	if _, err := mail.NewSender("smtp://mail.example.org", "not an address"); err == nil || !strings.Contains(err.Error(), "ATTEND_MAIL_FROM") {
		t.Errorf("invalid sender address: %v", err)
	}
	if s, err := mail.NewSender("", "whatever"); err != nil || s.Via() != "kept" {
		t.Errorf("no SMTP URL: %v %v, want the keep mode", s, err)
	}
}

package privacy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type fixture struct {
	st  *store.Store
	url string
	svc *privacy.Service
	p   store.Project
}

// seedDemo loads the demo programme (event 4 today) with tickets for the
// events under way or ahead, as `attend serve --demo` does.
func seedDemo(t *testing.T, demo bool) fixture {
	t.Helper()
	ctx := context.Background()
	url := dbtest.URL(t)
	st, err := store.Open(ctx, url, 10)
	if err != nil {
		t.Fatal(err)
	}
	st.Sealer = dbtest.Keyring(t)
	t.Cleanup(func() { st.Close() })
	hook := func(ctx context.Context, tx *sqlx.Tx, p store.Project) error {
		evs, err := st.ProjectEvents(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if !e.LastDay.Before(testNow.Truncate(24 * time.Hour)) {
				if _, err := tickets.New(st).IssueMissing(ctx, tx, e.ID); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if _, err := programme.EnsureSeeded(ctx, st, demo, testNow, hook); err != nil {
		t.Fatal(err)
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := privacy.New(st, b, "http://example.test", time.Now, nil)
	svc.Now = func() time.Time { return testNow }
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{st: st, url: url, svc: svc, p: p}
}

func mustExec(t *testing.T, st *store.Store, q string, args ...any) {
	t.Helper()
	if _, err := st.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// enrich adds what the demo lacks so that every scrubbed column is exercised:
// phones, needs, withdrawn consent, signatures, scans whose replayed answer
// names the person, messages with attachments, rate-limit keys.
func enrich(t *testing.T, st *store.Store) {
	mustExec(t, st, `UPDATE registrations SET phone = '+371 2' || lpad(id::text, 7, '0') WHERE id % 3 = 0`)
	mustExec(t, st, `UPDATE registrations SET needs_access = 'Wheelchair user ' || id WHERE id % 7 = 0`)
	mustExec(t, st, `UPDATE registrations SET manage_nonce = sha256(id::text::bytea)`)
	mustExec(t, st, `INSERT INTO consents (registration_id, kind, given, notice_version)
		SELECT id, 'age_band', true, 1 FROM registrations WHERE age_band <> ''`)
	mustExec(t, st, `INSERT INTO devices (event_id, name) SELECT id, 'Door A' FROM events`)
	mustExec(t, st, `INSERT INTO signatures (event_id, registration_id, day, image_png, sha256)
		SELECT a.event_id, a.registration_id, a.day, convert_to('PNG of ' || r.first_name || ' ' || r.last_name, 'UTF8'), sha256(a.id::text::bytea)
		FROM admissions a JOIN registrations r ON r.id = a.registration_id WHERE a.id % 2 = 0`)
	mustExec(t, st, `INSERT INTO scans (scan_id, event_id, device_id, registration_id, ticket_id, day, result, reason, scanned_at, response)
		SELECT gen_random_uuid(), a.event_id, d.id, a.registration_id,
			(SELECT id FROM tickets t WHERE t.registration_id = a.registration_id LIMIT 1), a.day, 'admitted',
			'checked ID of ' || r.last_name, a.admitted_at,
			jsonb_build_object('result', 'admitted', 'name', r.first_name || ' ' || r.last_name, 'country', r.country,
				'organisation', r.organisation)
		FROM admissions a JOIN registrations r ON r.id = a.registration_id JOIN devices d ON d.event_id = a.event_id`)
	mustExec(t, st, `INSERT INTO outbox (message_id, kind, registration_id, to_addr, subject, text_body, html_body, status, sent_at)
		SELECT 'm' || id || '@test', 'confirmed', id, email, 'Your ticket, ' || first_name,
			'Dear ' || first_name || ' ' || last_name, '<p>' || last_name || '</p>', 'sent', now()
		FROM registrations WHERE email IS NOT NULL`)
	mustExec(t, st, `INSERT INTO outbox_attachments (outbox_id, filename, content_type, content)
		SELECT id, 'ticket.pdf', 'application/pdf', convert_to(text_body, 'UTF8') FROM outbox`)
	mustExec(t, st, `INSERT INTO rate_limits (key, window_start, hits)
		SELECT 'register:' || lower(email), now(), 1 FROM registrations WHERE email IS NOT NULL AND id % 5 = 0`)
}

// counts is everything the funder's reports count, per event: registrations by
// status; people attended by country, city, participation and partner; per day;
// by consented age band and gender; signatures per day.
func counts(t *testing.T, st *store.Store, projectID int64) string {
	t.Helper()
	queries := []string{
		`SELECT e.number, r.status, count(*) FROM registrations r JOIN events e ON e.id = r.event_id
		 WHERE e.project_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
		`SELECT e.number, r.country, r.city, r.participation, COALESCE(r.partner_id, 0), count(DISTINCT a.registration_id)
		 FROM admissions a JOIN registrations r ON r.id = a.registration_id JOIN events e ON e.id = a.event_id
		 WHERE e.project_id = $1 AND a.undone_at IS NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
		`SELECT e.number, a.day, r.participation, count(*) FROM admissions a JOIN registrations r ON r.id = a.registration_id
		 JOIN events e ON e.id = a.event_id WHERE e.project_id = $1 AND a.undone_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
		`SELECT e.number, r.age_band, r.gender, count(DISTINCT a.registration_id) FROM admissions a
		 JOIN registrations r ON r.id = a.registration_id JOIN events e ON e.id = a.event_id
		 WHERE e.project_id = $1 AND a.undone_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
		`SELECT e.number, count(DISTINCT r.country) FILTER (WHERE a.id IS NOT NULL), count(DISTINCT a.registration_id)
		 FROM events e LEFT JOIN registrations r ON r.event_id = e.id
		 LEFT JOIN admissions a ON a.registration_id = r.id AND a.undone_at IS NULL
		 WHERE e.project_id = $1 GROUP BY 1 ORDER BY 1`,
		`SELECT e.number, rd.day, count(*) FROM registration_days rd JOIN events e ON e.id = rd.event_id
		 WHERE e.project_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
		`SELECT e.number, s.day, count(*) FROM signatures s JOIN events e ON e.id = s.event_id
		 WHERE e.project_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
		`SELECT e.number, s.day, s.result, s.device_id, count(*) FROM scans s JOIN events e ON e.id = s.event_id
		 WHERE e.project_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
		`SELECT e.number, e.confirmed_count FROM events e WHERE e.project_id = $1 ORDER BY 1`,
	}
	var b strings.Builder
	for _, q := range queries {
		rows, err := st.DB.Queryx(q, projectID)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// reports is the funder's report (JSON) of the project and of every event,
// with small counts unsuppressed, generated at a fixed time so that two
// reports of the same data are byte-identical.
func reports(t *testing.T, st *store.Store, projectID int64) []byte {
	t.Helper()
	ctx := context.Background()
	rs := report.New(st, time.Now)
	rs.Now = func() time.Time { return testNow }
	p, err := st.Project(ctx, st.DB, projectID)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := rs.Project(ctx, p.Code, report.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	pr.Source = nil // when and where the figures were read, not the figures
	out, _ := json.Marshal(pr)
	evs, _ := st.ProjectEvents(ctx, st.DB, projectID)
	for _, e := range evs {
		er, err := rs.Event(ctx, e.Slug, report.Options{Raw: true})
		if err != nil {
			t.Fatal(err)
		}
		er.Source = nil
		b, _ := json.Marshal(er)
		out = append(append(out, '\n'), b...)
	}
	return out
}

// personalValues collects every value of a person's fields, before anonymising.
func personalValues(t *testing.T, st *store.Store, where string, args ...any) []string {
	t.Helper()
	var vals []string
	err := st.DB.Select(&vals, `
		SELECT DISTINCT v FROM registrations r,
			LATERAL unnest(ARRAY[r.first_name, r.last_name, r.email, r.phone, r.organisation, r.needs_access, r.needs_diet,
				r.first_name || ' ' || r.last_name]) AS v
		WHERE v IS NOT NULL AND v <> '' AND `+where, args...)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

func dump(t *testing.T, url string) string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--data-only", "--no-owner", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}

// findIn reports the values that occur in text as whole words (a name like
// "Pop" must not match inside "Population").
func findIn(text string, vals []string) []string {
	var found []string
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for _, v := range vals {
		for from := 0; ; {
			i := strings.Index(text[from:], v)
			if i < 0 {
				break
			}
			i += from
			before, _ := utf8.DecodeLastRuneInString(text[:i])
			after, _ := utf8.DecodeRuneInString(text[i+len(v):])
			if (i == 0 || !isWord(before)) && (i+len(v) == len(text) || !isWord(after)) {
				found = append(found, v)
				break
			}
			from = i + 1
		}
	}
	return found
}

func TestAnonymiseProjectKeepsEveryCountAndLeavesNoPerson(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	enrich(t, f.st)

	// Values also found in the programme's own data (a partner's name, an
	// organisation such as "University") are not a person's data.
	base := dump(t, seedDemo(t, false).url)
	var vals []string
	for _, v := range personalValues(t, f.st, "true") {
		if len(findIn(base, []string{v})) == 0 {
			vals = append(vals, v)
		}
	}
	if len(vals) < 100 {
		t.Fatalf("only %d personal values collected: the demo data is not what this test expects", len(vals))
	}
	before := counts(t, f.st, f.p.ID)
	beforeReports := reports(t, f.st, f.p.ID)
	if found := findIn(dump(t, f.url), vals[:20]); len(found) == 0 {
		t.Fatal("the check cannot see personal data even before anonymising")
	}

	c, err := f.svc.AnonymiseProject(ctx, programme.ProjectCode, privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Registrations == 0 || c.Tickets == 0 || c.Signatures == 0 || c.Messages == 0 || c.Scans == 0 || c.RateLimits == 0 {
		t.Errorf("anonymisation skipped a kind of row: %+v", c)
	}
	after := counts(t, f.st, f.p.ID)
	if before != after {
		t.Fatalf("counts changed by anonymisation:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if afterReports := reports(t, f.st, f.p.ID); string(beforeReports) != string(afterReports) {
		t.Fatalf("the funder's reports changed by anonymisation:\nbefore:\n%s\nafter:\n%s", beforeReports, afterReports)
	}
	if found := findIn(dump(t, f.url), vals); len(found) > 0 {
		t.Fatalf("%d personal values remain in the database dump, e.g. %q", len(found), found[:min(5, len(found))])
	}

	var left struct {
		Tickets, Images, Tokens, Live int
	}
	f.st.DB.Get(&left.Tickets, `SELECT count(*) FROM tickets WHERE payload NOT LIKE 'anon-%' OR code NOT LIKE 'anon-%'`)
	f.st.DB.Get(&left.Images, `SELECT count(*) FROM signatures WHERE length(image_png) > 0`)
	f.st.DB.Get(&left.Tokens, `SELECT count(*) FROM registrations WHERE manage_nonce IS NOT NULL OR anonymised_at IS NULL`)
	f.st.DB.Get(&left.Live, `SELECT count(*) FROM tickets WHERE revoked_at IS NULL`)
	if left != (struct{ Tickets, Images, Tokens, Live int }{}) {
		t.Errorf("identifying rows left: %+v", left)
	}
	var kept int
	f.st.DB.Get(&kept, `SELECT count(*) FROM registrations WHERE age_band <> ''`)
	if kept == 0 {
		t.Error("consented age bands were removed; the reports count them")
	}
	p, _ := f.st.ProjectByCode(ctx, f.st.DB, programme.ProjectCode)
	if p.AnonymisedAt == nil {
		t.Error("project not marked anonymised")
	}
	es, err := f.st.Audit(ctx, f.st.DB, store.AuditFilter{Action: "privacy.anonymise_project"})
	if err != nil || len(es) != 1 || !strings.Contains(string(es[0].Details), `"registrations"`) {
		t.Fatalf("audit entry: %v %+v", err, es)
	}
	if found := findIn(string(es[0].Details), vals); len(found) > 0 {
		t.Errorf("audit details hold personal data: %v", found)
	}
}

// twoEventPerson makes one demo participant attend events 1 and 2 with the
// same address, and returns the address and the two registration ids.
func twoEventPerson(t *testing.T, st *store.Store) (string, []int64) {
	t.Helper()
	var ids []int64
	err := st.DB.Select(&ids, `
		SELECT DISTINCT ON (e.number) r.id FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE e.number IN (1, 2) AND r.participation = 'invited'
		  AND EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id)
		ORDER BY e.number, r.id`)
	if err != nil || len(ids) != 2 {
		t.Fatalf("two-event person: %v %v", err, ids)
	}
	email := "Jurgita.Twice@Example.org"
	mustExec(t, st, `UPDATE registrations SET email = $1, first_name = 'Jurgita', last_name = 'Dvigubaitė',
		phone = '+370 600 00000', organisation = 'Kaunas Twin Org', needs_diet = 'No peanuts please'
		WHERE id = ANY($2::bigint[])`, email, "{"+fmt.Sprint(ids[0])+","+fmt.Sprint(ids[1])+"}")
	return strings.ToLower(email), ids
}

func TestEraseKeepsBothEventsCountsAndUnlinksScans(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	enrich(t, f.st)
	email, ids := twoEventPerson(t, f.st)
	vals := []string{"Jurgita", "Dvigubaitė", "Jurgita.Twice@Example.org", "+370 600 00000", "Kaunas Twin Org", "No peanuts please"}
	var scans int
	f.st.DB.Get(&scans, `SELECT count(*) FROM scans WHERE registration_id = ANY($1::bigint[])`, fmt.Sprintf("{%d,%d}", ids[0], ids[1]))
	if scans < 2 {
		t.Fatalf("the person has %d scans; want some on both events", scans)
	}
	before := counts(t, f.st, f.p.ID)
	beforeReports := reports(t, f.st, f.p.ID)

	res, err := f.svc.Erase(ctx, "  "+strings.ToUpper(email)+" ", privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Registrations != 2 || res.Events != 2 || res.Cancelled != 0 || res.MessageID == 0 {
		t.Fatalf("erasure: %+v", res)
	}
	if after := counts(t, f.st, f.p.ID); before != after {
		t.Fatalf("erasure changed the counts:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if afterReports := reports(t, f.st, f.p.ID); string(beforeReports) != string(afterReports) {
		t.Fatalf("erasure changed the funder's reports:\nbefore:\n%s\nafter:\n%s", beforeReports, afterReports)
	}
	// The scan log keeps the entries, linked to identity-free rows only.
	type scanRow struct {
		Result   string     `db:"result"`
		Response store.JSON `db:"response"`
		Reason   string     `db:"reason"`
	}
	var rows []scanRow
	f.st.DB.Select(&rows, `SELECT result, response, reason FROM scans WHERE registration_id = ANY($1::bigint[])`,
		fmt.Sprintf("{%d,%d}", ids[0], ids[1]))
	if len(rows) != scans {
		t.Fatalf("scan log entries: %d, want %d", len(rows), scans)
	}
	for _, r := range rows {
		if r.Result != "admitted" || strings.Contains(string(r.Response), "name") || r.Reason != "" {
			t.Errorf("scan entry still identifies: %+v %s", r, r.Response)
		}
	}
	var ident int
	f.st.DB.Get(&ident, `SELECT count(*) FROM registrations WHERE id = ANY($1::bigint[])
		AND (first_name <> '' OR last_name <> '' OR email IS NOT NULL OR phone <> '' OR organisation <> '' OR needs_diet <> '')`,
		fmt.Sprintf("{%d,%d}", ids[0], ids[1]))
	if ident != 0 {
		t.Error("erased registrations still hold identity")
	}

	// Only the confirmation still has the address, until it is sent.
	var m store.OutboxMessage
	if err := f.st.DB.Get(&m, `SELECT id, kind, to_addr, subject, text_body, status FROM outbox WHERE id = $1`, res.MessageID); err != nil {
		t.Fatal(err)
	}
	if m.Kind != privacy.ErasedMailKind || !strings.EqualFold(m.ToAddr, email) || m.Status != "queued" || strings.Count(m.TextBody, "\n- ") != 2 {
		t.Fatalf("confirmation: %+v", m)
	}
	d := dump(t, f.url)
	if n := strings.Count(strings.ToLower(d), email); n != 1 {
		t.Errorf("address occurs %d times in the dump before the confirmation is sent; want 1 (the confirmation)", n)
	}
	mustExec(t, f.st, `UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = $1`, res.MessageID)
	if _, err := f.svc.RunRetention(ctx, true); err != nil {
		t.Fatal(err)
	}
	if found := findIn(dump(t, f.url), vals); len(found) > 0 {
		t.Errorf("after the confirmation was sent, the dump still holds %v", found)
	}
	es, _ := f.st.Audit(ctx, f.st.DB, store.AuditFilter{Action: "privacy.erase"})
	if len(es) != 1 || strings.Contains(strings.ToLower(string(es[0].Details)), "twice") {
		t.Fatalf("erasure audit: %+v", es)
	}
	if _, err := f.svc.Erase(ctx, email, privacy.Actor{Label: "cli"}); err != privacy.ErrNothingHeld {
		t.Errorf("second erasure: %v, want ErrNothingHeld", err)
	}
}

func TestEraseCancelsFutureRegistrations(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	var r store.Registration
	if err := f.st.DB.Get(&r, `SELECT r.id, r.event_id, r.email FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE e.number = 5 AND r.status = 'confirmed' ORDER BY r.id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	ev, _ := f.st.Event(ctx, f.st.DB, r.EventID)
	res, err := f.svc.Erase(ctx, *r.Email, privacy.Actor{Label: "cli"})
	if err != nil || res.Cancelled != 1 {
		t.Fatalf("erase: %+v %v", res, err)
	}
	got, _ := f.st.Registration(ctx, f.st.DB, r.ID)
	ev2, _ := f.st.Event(ctx, f.st.DB, r.EventID)
	if got.Status != "cancelled" || ev2.ConfirmedCount != ev.ConfirmedCount-1 {
		t.Errorf("future registration: status %s, seats %d -> %d", got.Status, ev.ConfirmedCount, ev2.ConfirmedCount)
	}
	var live int
	f.st.DB.Get(&live, `SELECT count(*) FROM tickets WHERE registration_id = $1 AND revoked_at IS NULL`, r.ID)
	if live != 0 {
		t.Error("the erased person's ticket still works")
	}
}

func TestAccessExportHoldsThePersonAndIsAudited(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	enrich(t, f.st)
	email, ids := twoEventPerson(t, f.st)
	admin := privacy.Actor{Label: "cli"}
	x, err := f.svc.ExportPerson(ctx, privacy.ExportRequest{Email: email, Format: "json", Channel: "cli", Lang: "lv"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Registrations) != 2 || x.Registrations[0].ID != ids[0] || x.Registrations[1].ID != ids[1] {
		t.Fatalf("registrations: %+v", x.Registrations)
	}
	r := x.Registrations[0]
	if r.FirstName != "Jurgita" || r.Phone != "+370 600 00000" || r.NeedsDiet != "No peanuts please" || len(r.Days) == 0 ||
		len(r.Admissions) == 0 || len(r.Scans) == 0 || r.Scans[0].Device != "Door A" || r.Event.Slug == "" ||
		!r.PrivateLinkIssued || r.Partner == "" {
		t.Errorf("first registration incomplete: %+v", r)
	}
	if len(x.Messages) != 2 || !strings.HasPrefix(x.Messages[0].Text, "Dear ") {
		t.Errorf("messages: %+v", x.Messages)
	}
	if !strings.Contains(x.HandlingNotice, "personas dati") {
		t.Errorf("handling notice not in Latvian: %q", x.HandlingNotice)
	}
	b, _ := json.Marshal(x)
	for _, k := range []string{`"registrations"`, `"consents"`, `"tickets"`, `"admissions"`, `"scans"`, `"signatures"`, `"messages"`, `"handling_notice"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
	if strings.Contains(string(b), "DA1:") {
		t.Error("the export carries a ticket's signed payload (a bearer secret)")
	}
	es, _ := f.st.Audit(ctx, f.st.DB, store.AuditFilter{Action: "export.person_data"})
	if len(es) != 1 || es[0].Actor != "cli" || !strings.Contains(string(es[0].Details), fmt.Sprint(ids[0])) ||
		strings.Contains(strings.ToLower(string(es[0].Details)), "jurgita") {
		t.Fatalf("export audit: %+v", es)
	}
	// Nothing held: an empty export, still audited.
	x, err = f.svc.ExportPerson(ctx, privacy.ExportRequest{Email: "nobody@example.org", Channel: "admin"}, admin)
	if err != nil || len(x.Registrations) != 0 {
		t.Fatalf("unknown person: %v %+v", err, x)
	}
	if _, err := f.svc.ExportPerson(ctx, privacy.ExportRequest{Email: "not an address"}, admin); err == nil {
		t.Error("a malformed address was accepted")
	}
}

func TestRetentionJobRunsOnceAcrossInstancesAndAnonymisesExpired(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	mustExec(t, f.st, `UPDATE registrations SET needs_diet = 'Vegan ' || id`)
	// Balance paid long ago: 3-year retention over.
	paid := testNow.AddDate(-4, 0, 0)
	if err := f.svc.SetRetention(ctx, programme.ProjectCode, &paid, 3, 30, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	rt, _ := f.st.RetentionByCode(ctx, f.st.DB, programme.ProjectCode)
	if rt.RecordsKeptUntil == nil || !rt.RecordsKeptUntil.Equal(time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("records kept until %v", rt.RecordsKeptUntil)
	}
	// Several instances tick at once: one does the work.
	svcs := make([]*privacy.Service, 4)
	for i := range svcs {
		s := *f.svc
		svcs[i] = &s
	}
	var wg sync.WaitGroup
	ran := make([]bool, len(svcs))
	errs := make([]error, len(svcs))
	for i, s := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := s.RunRetention(ctx, false)
			ran[i], errs[i] = run.Ran, err
		}()
	}
	wg.Wait()
	n := 0
	for i := range ran {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ran[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d instances ran the daily job, want 1", n)
	}
	var left int
	f.st.DB.Get(&left, `SELECT count(*) FROM registrations WHERE anonymised_at IS NULL OR first_name <> ''`)
	if left != 0 {
		t.Errorf("%d registrations not anonymised after expiry", left)
	}
	es, _ := f.st.Audit(ctx, f.st.DB, store.AuditFilter{Action: "privacy."})
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"privacy.anonymise_project", "privacy.retention_run"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
	// A day later the job may run again.
	later := *f.svc
	later.Now = func() time.Time { return testNow.Add(25 * time.Hour) }
	if run, err := later.RunRetention(ctx, false); err != nil || !run.Ran {
		t.Errorf("next day: %+v %v", run, err)
	}
}

func TestNeedsPurgedAfterShorterRetention(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	mustExec(t, f.st, `UPDATE registrations SET needs_diet = 'Vegan', needs_access = 'Ramp'`)
	run, err := f.svc.RunRetention(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var byEvent []struct {
		Number int `db:"number"`
		Needs  int `db:"needs"`
	}
	f.st.DB.Select(&byEvent, `SELECT e.number, count(*) FILTER (WHERE r.needs_diet <> '' OR r.needs_access <> '') AS needs
		FROM registrations r JOIN events e ON e.id = r.event_id GROUP BY 1 ORDER BY 1`)
	// Events 1-3 ended years ago; event 4 is today; event 5 is ahead.
	for _, e := range byEvent {
		if (e.Number <= 3) != (e.Needs == 0) {
			t.Errorf("event %d: %d registrations keep needs", e.Number, e.Needs)
		}
	}
	if run.NeedsPurged == 0 || len(run.Projects) != 0 {
		t.Errorf("run: %+v", run)
	}
	var names int
	f.st.DB.Get(&names, `SELECT count(*) FROM registrations WHERE first_name = ''`)
	if names != 0 {
		t.Error("the needs purge touched names")
	}
}

func TestPublishNoticeInEveryLanguage(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, false)
	paid := time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC)
	if err := f.svc.SetRetention(ctx, programme.ProjectCode, &paid, 5, 30, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	p := privacy.DefaultParams
	p.DPO = "dpo@daugavpils.lv"
	v, err := f.svc.PublishNotice(ctx, programme.ProjectCode, p, privacy.Actor{Label: "cli"})
	if err != nil || v != 2 {
		t.Fatalf("publish: v%d %v", v, err)
	}
	for _, lang := range i18n.Languages {
		n, err := f.st.CurrentPrivacyNotice(ctx, f.st.DB, f.p.ID, lang)
		if err != nil || n.Version != 2 || n.Language != lang {
			t.Fatalf("%s: %+v %v", lang, n, err)
		}
		for _, must := range []string{"Daugavpils City Council", "dpo@daugavpils.lv", "OLAF", "595269-CITIZ-1-2017-2-LV-CITIZ-NT", "www.dvi.gov.lv", "5"} {
			if !strings.Contains(n.Body, must) {
				t.Errorf("%s notice lacks %q", lang, must)
			}
		}
		if strings.Contains(n.Body, "{") {
			t.Errorf("%s notice has an unfilled placeholder: %s", lang, n.Body)
		}
	}
	en, _ := f.st.CurrentPrivacyNotice(ctx, f.st.DB, f.p.ID, "en")
	for _, must := range []string{"Court of Auditors", "European Commission", "Executive Agency", "5 years", "30 June 2025", "30 days"} {
		if !strings.Contains(en.Body, must) {
			t.Errorf("English notice lacks %q:\n%s", must, en.Body)
		}
	}
	if _, err := f.svc.PublishNotice(ctx, programme.ProjectCode, privacy.NoticeParams{}, privacy.Actor{Label: "cli"}); err == nil {
		t.Error("a notice without controller was published")
	}
	vs, _ := f.st.PrivacyNoticeVersions(ctx, f.st.DB, f.p.ID)
	if len(vs) != 2 || vs[0].Version != 2 || len(vs[0].Languages) != 10 || len(vs[1].Languages) != 10 {
		t.Errorf("versions: %+v", vs)
	}
}

func TestWorkerRunsTheJobAndStops(t *testing.T) {
	f := seedDemo(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		f.svc.Worker(ctx, slog.New(slog.DiscardHandler), 0, time.Hour)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		f.st.DB.Get(&n, `SELECT count(*) FROM job_runs WHERE job = $1`, privacy.RetentionJob)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker did not run the job")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}

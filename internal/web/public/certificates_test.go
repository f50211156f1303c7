package public_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// TestCertificatesEndToEnd: a past event with people who came and people who
// did not, imported from a sheet; the certificates reach exactly those who
// came through a real SMTP server, each PDF names the person and the event
// and carries a verification link that answers "valid"; one changed
// character answers "not valid"; a second send sends nothing; undoing the
// attendance or erasing the person withdraws the certificate.
func TestCertificatesEndToEnd(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	ctx := context.Background()
	start := time.Now()
	mp := mailtest.Start(t)
	s := webtest.New(t, webtest.Options{SelfBaseURL: true, Env: map[string]string{"ATTEND_SMTP_URL": mp.SMTPURL}})
	st, svc := s.Store, s.Web.Services
	f := regtest.NewFixture(t, st, "cert-e2e", nil)
	// Move the event into the past: it ended three days ago.
	shift := int(f.Event.LastDay.Sub(time.Now().UTC().Truncate(24*time.Hour)).Hours()/24) + 3
	for _, q := range []string{
		`UPDATE event_days SET day = day - $2::int WHERE event_id = $1`,
		`UPDATE events SET first_day = first_day - $2::int, last_day = last_day - $2::int WHERE id = $1`,
	} {
		if _, err := st.DB.Exec(q, f.Event.ID, shift); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.DB.Exec(`UPDATE projects SET acronym = 'DeCoDe', programme = 'Europe for Citizens', grant_ref = '609183-CITIZ-1-2019-1-LV-CITIZ-NT' WHERE id = $1`, f.Project.ID); err != nil {
		t.Fatal(err)
	}
	ev, err := st.Event(ctx, st.DB, f.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCertificateSettings(ctx, st.DB, store.CertificateSettings{EventID: ev.ID, SignatoryName: "Inese Ozola", SignatoryPosition: "Head of the International Relations Department"}); err != nil {
		t.Fatal(err)
	}
	d1, d2, d3 := ev.FirstDay.Format("2006-01-02"), ev.FirstDay.AddDate(0, 0, 1).Format("2006-01-02"), ev.LastDay.Format("2006-01-02")
	sheet, err := sheetin.Read([]byte("first_name;last_name;email;city;country;participation;partner;language;days;attended\n" +
		"Jūratė;Žemaitė;jurate@example.lt;Kaunas;LT;invited;kaunas;lt;" + d1 + " " + d2 + " " + d3 + ";" + d1 + " " + d2 + "\n" +
		"Anna;Bērziņa;anna@example.lv;Daugavpils;LV;local;;lv;" + d1 + ";" + d1 + "\n" +
		"Piotr;Nowak;piotr@example.pl;Łódź;PL;invited;lodz;pl;" + d1 + " " + d2 + ";\n" +
		"Hans;Müller;hans@example.de;Magdeburg;DE;other;;de;" + d3 + ";\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Registration.Import(ctx, nil, ev.Slug, sheet, registration.ImportOptions{Headers: svc.ImportHeaders, Lang: "en"})
	if err != nil || res.Created != 4 || res.Admissions != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}

	// Before the event is over nothing is sent: the rule is the event's clock.
	if _, err := st.DB.Exec(`UPDATE events SET last_day = last_day + 10 WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Certificates.Send(ctx, ev.Slug, certificates.SendOptions{}); err != certificates.ErrNotOver {
		t.Fatalf("send during the event: %v", err)
	}
	if _, err := st.DB.Exec(`UPDATE events SET last_day = last_day - 10 WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}

	dry, err := svc.Certificates.Send(ctx, ev.Slug, certificates.SendOptions{DryRun: true})
	if err != nil || dry.Attendees != 2 || dry.Issued != 2 || dry.Mailed != 2 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if n := count(t, st, `SELECT count(*) FROM certificates`); n != 0 {
		t.Fatalf("a dry run issued %d", n)
	}
	startWorker(t, st, s.Config.SMTPURL, s.Config.MailFrom)
	sent, err := svc.Certificates.Send(ctx, ev.Slug, certificates.SendOptions{})
	if err != nil || sent.Issued != 2 || sent.Mailed != 2 {
		t.Fatalf("send: %+v %v", sent, err)
	}

	// Each in their own language (the fixture's title has no Lithuanian: English).
	people := []struct{ email, name, subject, event string }{
		{"jurate@example.lt", "Jūratė Žemaitė", "Jūsų dalyvavimo pažymėjimas", "Final conference"},
		{"anna@example.lv", "Anna Bērziņa", "Jūsu dalības apliecība", "Noslēguma konference"},
	}
	verify := map[string]string{}
	client := &http.Client{Timeout: 20 * time.Second}
	t.Logf("sent after %s", time.Since(start))
	for _, p := range people {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		got, err := mp.WaitFor(ctx, p.email, 1)
		cancel()
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %d messages, %v", p.email, len(got), err)
		}
		msg, err := mp.Message(got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(msg.Subject, p.subject) {
			t.Fatalf("%s: subject %q", p.email, msg.Subject)
		}
		var pdf []byte
		for _, a := range msg.Attachments {
			if a.ContentType == "application/pdf" {
				if pdf, err = mp.PartBytes(msg.ID, a.PartID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if pdf == nil {
			t.Fatalf("%s: no PDF attached (%d attachments)", p.email, len(msg.Attachments))
		}
		file := filepath.Join(t.TempDir(), "certificate.pdf")
		os.WriteFile(file, pdf, 0o600)
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := string(out)
		var code string
		if err := st.DB.Get(&code, `SELECT c.code FROM certificates c JOIN registrations r ON r.id = c.registration_id WHERE r.email = $1`, p.email); err != nil {
			t.Fatal(err)
		}
		u := s.URL + "/verify/" + code
		if !strings.Contains(text, p.name) || !strings.Contains(text, p.event) ||
			!strings.Contains(strings.Join(strings.Fields(text), ""), u) || !strings.Contains(text, "Inese Ozola") ||
			!strings.Contains(text, "609183-CITIZ-1-2019-1-LV-CITIZ-NT") {
			t.Fatalf("%s: the PDF reads\n%s\nwant the name, the event, the signatory, the grant and %s", p.email, text, u)
		}
		if !strings.Contains(msg.Text, u) {
			t.Fatalf("%s: the message does not give %s:\n%s", p.email, u, msg.Text)
		}
		verify[p.email] = u
		status, page := fetch(t, client, u)
		if status != http.StatusOK || !strings.Contains(page, "Valid certificate") || !strings.Contains(page, p.name) ||
			strings.Contains(page, p.email) {
			t.Fatalf("%s: verify %d\n%s", p.email, status, page)
		}
	}
	t.Logf("verified after %s", time.Since(start))
	// Exactly those who came: nobody else got a message.
	for _, absent := range []string{"piotr@example.pl", "hans@example.de"} {
		if n := count(t, st, `SELECT count(*) FROM outbox WHERE to_addr = $1`, absent); n != 0 {
			t.Fatalf("%s (absent) got %d messages", absent, n)
		}
	}

	// One changed character: not valid. Also a code for another id and garbage.
	u := verify["jurate@example.lt"]
	i := len(s.URL+"/verify/") + 10
	swap := byte('A')
	if u[i] == 'A' {
		swap = 'B'
	}
	for _, bad := range []string{u[:i] + string(swap) + u[i+1:], s.URL + "/verify/not-a-code", s.URL + "/lv/verify/AAAA"} {
		status, page := fetch(t, client, bad)
		if status != http.StatusNotFound || !regexp.MustCompile(`Not valid|Nav derīga`).MatchString(page) || strings.Contains(page, "Jūratė") {
			t.Fatalf("%s: %d\n%s", bad, status, page)
		}
	}

	// A second send issues and sends nothing.
	again, err := svc.Certificates.Send(ctx, ev.Slug, certificates.SendOptions{})
	if err != nil || again.Issued != 0 || again.Mailed != 0 || again.Attendees != 2 {
		t.Fatalf("second send: %+v %v", again, err)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox WHERE kind = 'certificate'`); n != 2 {
		t.Fatalf("%d certificate messages after a second send", n)
	}

	// The holder downloads it from the private page, in the page's language.
	var rid int64
	st.DB.Get(&rid, `SELECT id FROM registrations WHERE email = 'jurate@example.lt'`)
	r, _ := st.Registration(ctx, st.DB, rid)
	path, err := svc.Registration.ManagePath(ctx, st.DB, r, "en")
	if err != nil {
		t.Fatal(err)
	}
	status, page := fetch(t, client, s.URL+path)
	if status != http.StatusOK || !strings.Contains(page, path+"/certificate.pdf") {
		t.Fatalf("manage page %d without the certificate link", status)
	}
	resp, err := client.Get(s.URL + path + "/certificate.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("certificate.pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if n := count(t, st, `SELECT count(*) FROM certificates`); n != 2 {
		t.Fatalf("%d certificates after the download", n)
	}

	// Undoing a certified day withdraws the certificate.
	day, _ := time.Parse("2006-01-02", d2)
	if _, err := st.UndoAdmission(ctx, st.DB, rid, day, nil); err != nil {
		t.Fatal(err)
	}
	if status, page := fetch(t, client, u); status != http.StatusGone || !strings.Contains(page, "withdrawn") {
		t.Fatalf("after undo: %d\n%s", status, page)
	}

	// Erasing the person withdraws theirs.
	if _, err := svc.Privacy.Erase(ctx, "anna@example.lv", privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	if status, page := fetch(t, client, verify["anna@example.lv"]); status != http.StatusGone || !strings.Contains(page, "Not valid") || strings.Contains(page, "Bērziņa") {
		t.Fatalf("after erasure: %d\n%s", status, page)
	}
}

func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Language", "en")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// startWorker runs the real outbox worker against SMTP until the test ends.
func startWorker(t *testing.T, st *store.Store, smtpURL, from string) {
	t.Helper()
	sender, err := mail.NewSender(smtpURL, from)
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Store: st, Sender: sender, Poll: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})), Backoff: func(int) time.Duration { return time.Second }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

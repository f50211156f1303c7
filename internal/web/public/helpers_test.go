package public_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// env is the real router on a fresh database, served over HTTP, with one
// open event of the regtest fixture.
type env struct {
	st     *store.Store
	cfg    *config.Config
	srv    *httptest.Server
	f      regtest.Fixture
	client *http.Client
}

func newEnv(t *testing.T, capacity *int) *env {
	t.Helper()
	return newEnvWith(t, capacity, nil)
}

// newEnvWith is newEnv with extra configuration (ATTEND_* variables).
func newEnvWith(t *testing.T, capacity *int, vars map[string]string) *env {
	t.Helper()
	s := webtest.New(t, webtest.Options{SelfBaseURL: true, Env: vars})
	jar, _ := cookiejar.New(nil)
	e := &env{st: s.Store, cfg: s.Config, srv: s.HTTP, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	e.f = regtest.NewFixture(t, s.Store, "ev-web", capacity)
	return e
}

func (e *env) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (e *env) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	return e.do(t, req)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)

// post sends a form from the page at from (for its CSRF token) to path.
func (e *env) post(t *testing.T, from, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, page := e.get(t, from)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("csrf_token", m[1])
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

func (e *env) postJSON(t *testing.T, path, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept-Language", "en")
	return e.do(t, req)
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.st.DB.GetContext(context.Background(), &n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	confirmLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/confirm/[a-z0-9]+`)
	manageLinkRE  = regexp.MustCompile(`https?://[^\s"<>]+/r/[0-9]+/[a-z0-9]+`)
)

// confirmationLink reads the newest confirmation link e-mailed to an address
// from the outbox table (every notifier writes its messages there) and
// returns its path. The browser test reads the delivered e-mail from a real
// SMTP server instead (newMailEnv, mailbox.link).
func confirmationLink(t *testing.T, st *store.Store, email string) string {
	t.Helper()
	return newestLink(t, st, email, confirmLinkRE)
}

// manageLink is the newest private link e-mailed to an address, as a path.
func manageLink(t *testing.T, st *store.Store, email string) string {
	t.Helper()
	return newestLink(t, st, email, manageLinkRE)
}

func newestLink(t *testing.T, st *store.Store, email string, re *regexp.Regexp) string {
	t.Helper()
	var bodies []string
	if err := st.DB.Select(&bodies, `SELECT text_body || ' ' || html_body FROM outbox WHERE lower(to_addr) = lower($1) ORDER BY id DESC`, email); err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if m := re.FindString(html.UnescapeString(b)); m != "" {
			return regtest.Path(m)
		}
	}
	t.Fatalf("no link matching %s in %d messages to %s", re, len(bodies), email)
	return ""
}

// confirm answers a confirmation link as a person does: the link opens a
// page that changes nothing, and its button confirms. It returns the page
// shown afterwards.
func (e *env) confirm(t *testing.T, link string) (*http.Response, string) {
	t.Helper()
	resp, _ := e.post(t, link, link, url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != link {
		t.Fatalf("confirming %s: %d to %q", link, resp.StatusCode, resp.Header.Get("Location"))
	}
	return e.get(t, link)
}

func (e *env) validForm(email string) url.Values {
	return url.Values{
		"days":       {e.f.Event.FirstDay.Format("2006-01-02"), e.f.Event.LastDay.Format("2006-01-02")},
		"first_name": {"Jūratė"}, "last_name": {"Žemaitė"}, "email": {email}, "country": {"LT"},
		"city": {"Kaunas"}, "organisation": {"Kaunas City Municipality"}, "participation": {"invited"},
		"partner": {"kaunas"}, "language": {"en"}, "privacy_notice_accepted": {"1"},
	}
}

// mailbox is a real SMTP server (mailpit) that the real outbox worker
// delivers the server's e-mail to, as `attend serve` does.
type mailbox struct {
	mp *mailtest.Server
}

// newMailEnv is newEnv with ATTEND_SMTP_URL pointing at a fresh mailpit and
// the outbox worker running until the test ends.
func newMailEnv(t *testing.T, capacity *int) (*env, *mailbox) {
	t.Helper()
	mp := mailtest.Start(t)
	e := newEnvWith(t, capacity, map[string]string{"ATTEND_SMTP_URL": mp.SMTPURL})
	sender, err := mail.NewSender(e.cfg.SMTPURL, e.cfg.MailFrom)
	if err != nil {
		t.Fatal(err)
	}
	if sender.Via() != "smtp" {
		t.Fatalf("sender via %q, want smtp", sender.Via())
	}
	w := &outbox.Worker{
		Store: e.st, Sender: sender, Poll: 50 * time.Millisecond,
		Log:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Backoff: func(int) time.Duration { return time.Second },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	// Registered after the database's and the server's clean-ups, so it
	// runs before them: the worker stops first.
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return e, &mailbox{mp: mp}
}

// message waits until n messages to addr have arrived and returns the
// newest, checking that its subject starts with subject.
func (m *mailbox) message(t *testing.T, addr string, n int, subject string) mailtest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := m.mp.WaitFor(ctx, addr, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d messages to %s, want %d", len(got), addr, n)
	}
	msg, err := m.mp.Message(got[0].ID) // newest first
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg.Subject, subject) {
		t.Fatalf("message %d to %s is %q, want %q...", n, addr, msg.Subject, subject)
	}
	return msg
}

// mailLink is the first link matching re in a message's text part, as sent.
func mailLink(t *testing.T, msg mailtest.Message, re *regexp.Regexp) string {
	t.Helper()
	u := re.FindString(msg.Text)
	if u == "" {
		t.Fatalf("no link matching %s in %q:\n%s", re, msg.Subject, msg.Text)
	}
	return u
}

package mailadmin_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type env struct {
	st      *store.Store
	srv     *httptest.Server
	cookies map[string]string // role -> session cookie
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme, SelfBaseURL: true})
	st, ctx := s.Store, context.Background()
	e := &env{st: st, srv: s.HTTP, cookies: map[string]string{}}
	for _, role := range []string{auth.RoleAdmin, auth.RoleCoordinator} {
		u := store.User{Email: role + "@example.org", Name: role, Role: role, Language: "en"}
		if err := st.CreateUser(ctx, st.DB, &u); err != nil {
			t.Fatal(err)
		}
		c, err := auth.New(st, time.Now).StartSession(ctx, u.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		e.cookies[role] = c
	}
	return e
}

func (e *env) req(t *testing.T, role, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c := e.cookies[role]; c != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// queueTicket sends a ticket message for a new registration through the notifier.
func (e *env) queueTicket(t *testing.T, first, email string) {
	t.Helper()
	ctx := context.Background()
	b, _ := i18n.Load()
	n, err := mail.NewNotifier(e.st, b, e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.st.EventBySlug(ctx, e.st.DB, "decode-5-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	r := store.Registration{EventID: ev.ID, Status: "confirmed", FirstName: first, LastName: "Ozola", Email: &email,
		Country: "LV", Participation: "local", Language: "ru"}
	if err := e.st.InsertRegistration(ctx, e.st.DB, &r, ev.Days()); err != nil {
		t.Fatal(err)
	}
	err = e.st.InTx(ctx, func(tx *sqlx.Tx) error {
		return n.Confirmed(ctx, tx, notify.Notice{Registration: r, Event: ev, ManageURL: e.srv.URL + "/ru/r/1/x"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

type failing struct{}

func (failing) Via() string                                     { return "smtp" }
func (failing) Session(context.Context) (outbox.Session, error) { return failing{}, nil }
func (failing) Send(context.Context, outbox.Envelope) error {
	return errors.New("550 mailbox unavailable")
}
func (failing) Close() error { return nil }

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func TestAccess(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/admin/outbox", "/admin/mail", "/admin/mail/1", "/admin/mail/1/html", "/admin/mail/1/attachments/1"} {
		if resp, _ := e.req(t, "", http.MethodGet, path, nil); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
			t.Errorf("anonymous %s: %d %s", path, resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := e.req(t, auth.RoleCoordinator, http.MethodGet, path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if resp, _ := e.req(t, auth.RoleCoordinator, http.MethodPost, "/admin/outbox/1/retry", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator retry: %d", resp.StatusCode)
	}
}

func TestDevelopmentMailPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.queueTicket(t, `<b>Olga</b><script>x()</script>`, "olga@example.org")
	w := &outbox.Worker{Store: e.st, Sender: mail.Keep{}}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("worker: %d %v", n, err)
	}
	rows, _ := e.st.OutboxList(ctx, e.st.DB, store.OutboxFilter{})
	if len(rows) != 1 || rows[0].DeliveredVia != "kept" || rows[0].Status != "sent" {
		t.Fatalf("rows %+v", rows)
	}
	id := strconv.FormatInt(rows[0].ID, 10)

	resp, body := e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/mail", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "olga@example.org") || !strings.Contains(body, "/admin/mail/"+id) {
		t.Fatalf("mail list: %d\n%s", resp.StatusCode, body)
	}
	resp, body = e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/mail/"+id, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("message page: %d", resp.StatusCode)
	}
	for _, want := range []string{"Ваш билет:", rows[0].MessageID[1 : len(rows[0].MessageID)-1], `src="/admin/mail/` + id + `/html"`, "sandbox", ".pdf", ".ics", "&lt;b&gt;Olga&lt;/b&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("message page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>x()") {
		t.Error("hostile name rendered as markup on the message page")
	}
	resp, html := e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/mail/"+id+"/html", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("HTML frame headers: CSP %q XFO %q", csp, resp.Header.Get("X-Frame-Options"))
	}
	if !strings.Contains(html, `src="data:image/png;base64,`) || strings.Contains(html, "cid:") {
		t.Error("inline QR not turned into a data: URI")
	}

	atts, _ := e.st.OutboxAttachmentList(ctx, e.st.DB, rows[0].ID)
	var pdfID int64
	for _, a := range atts {
		if a.ContentType == "application/pdf" {
			pdfID = a.ID
		}
	}
	before := auditCount(t, e.st, "export.mail_attachment")
	resp, pdf := e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/mail/"+id+"/attachments/"+strconv.FormatInt(pdfID, 10), nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF") || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("attachment download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if auditCount(t, e.st, "export.mail_attachment") != before+1 {
		t.Error("attachment download not audited")
	}
	if resp, _ := e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/mail/"+id+"/attachments/999999", nil); resp.StatusCode != 404 {
		t.Errorf("unknown attachment: %d", resp.StatusCode)
	}
}

func auditCount(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = $1`, action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOutboxFailuresAndRetry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.queueTicket(t, "Ivan", "ivan@example.org")
	w := &outbox.Worker{Store: e.st, Sender: failing{}, MaxAttempts: 1}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ := e.st.OutboxList(ctx, e.st.DB, store.OutboxFilter{Status: "failed"})
	if len(rows) != 1 {
		t.Fatalf("failed rows: %d", len(rows))
	}
	id := strconv.FormatInt(rows[0].ID, 10)
	resp, body := e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/outbox", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "550 mailbox unavailable") || !strings.Contains(body, `action="/admin/outbox/`+id+`/retry"`) {
		t.Fatalf("outbox page: %d\n%s", resp.StatusCode, body)
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token")
	}
	if resp, _ := e.req(t, auth.RoleAdmin, http.MethodPost, "/admin/outbox/"+id+"/retry", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("retry without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, _ = e.req(t, auth.RoleAdmin, http.MethodPost, "/admin/outbox/"+id+"/retry", url.Values{"csrf_token": {m[1]}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/outbox?retried="+id {
		t.Fatalf("retry: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if row, _ := e.st.Outbox(ctx, e.st.DB, rows[0].ID); row.Status != "queued" || row.Attempts != 0 {
		t.Errorf("after retry: %s, %d attempts", row.Status, row.Attempts)
	}
	if auditCount(t, e.st, "outbox.retry") != 1 {
		t.Error("retry not audited")
	}
	// Retrying a message that is not failed is refused.
	resp, _ = e.req(t, auth.RoleAdmin, http.MethodPost, "/admin/outbox/"+id+"/retry", url.Values{"csrf_token": {m[1]}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("second retry: %d, want 404", resp.StatusCode)
	}
	// The filter and the status labels.
	_, body = e.req(t, auth.RoleAdmin, http.MethodGet, "/admin/outbox?status=queued", nil)
	if !strings.Contains(body, "ivan@example.org") || !strings.Contains(body, "Queued") {
		t.Error("queued filter does not list the retried message")
	}
}

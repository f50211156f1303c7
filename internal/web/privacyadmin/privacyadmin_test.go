package privacyadmin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type env struct {
	st      *store.Store
	srv     *httptest.Server
	cookie  *http.Cookie
	csrf    string
	regPath string // private link of one demo registration
	email   string
}

func setup(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo, Env: map[string]string{"ATTEND_BASE_URL": "http://example.test"}})
	st := s.Store
	u := store.User{Email: "admin@example.test", Name: "Admin", Role: "admin"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	ck, err := auth.New(st, time.Now).StartSession(ctx, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	e := env{st: st, srv: s.HTTP, cookie: &http.Cookie{Name: auth.SessionCookie, Value: ck}}
	st.DB.Get(&e.csrf, `SELECT csrf_token FROM sessions WHERE user_id = $1`, u.ID)
	var r store.Registration
	st.DB.Get(&r.ID, `SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.number = 1 AND r.status = 'confirmed' ORDER BY r.id LIMIT 1`)
	st.DB.Exec(`UPDATE registrations SET manage_nonce = sha256(id::text::bytea) WHERE id = $1`, r.ID)
	if r, err = st.Registration(ctx, st.DB, r.ID); err != nil {
		t.Fatal(err)
	}
	e.email = *r.Email
	if e.regPath, err = registration.New(st, nil, nil, s.Config.BaseURL, time.Now).ManagePath(ctx, st.DB, r, "de"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e env) do(t *testing.T, method, path string, form url.Values, staff bool) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf_token", e.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if staff {
		req.AddCookie(e.cookie)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestAdminPrivacyScreens(t *testing.T) {
	e := setup(t)
	if res, _ := e.do(t, "GET", "/admin/privacy", nil, false); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous: %d, want a redirect to sign in", res.StatusCode)
	}
	res, body := e.do(t, "GET", "/admin/privacy", nil, true)
	if res.StatusCode != 200 || !strings.Contains(body, "balance_paid_on") || !strings.Contains(body, "/admin/privacy/erase/confirm") {
		t.Fatalf("index: %d\n%s", res.StatusCode, body)
	}
	res, _ = e.do(t, "POST", "/admin/privacy/projects/decode/retention",
		url.Values{"balance_paid_on": {"2020-06-30"}, "retention_years": {"3"}, "needs_retention_days": {"30"}}, true)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retention save: %d", res.StatusCode)
	}
	rt, _ := e.st.RetentionByCode(context.Background(), e.st.DB, "decode")
	if rt.RecordsKeptUntil == nil || rt.RecordsKeptUntil.Format("2006-01-02") != "2023-06-30" {
		t.Errorf("records kept until %v", rt.RecordsKeptUntil)
	}
	if res, _ := e.do(t, "POST", "/admin/privacy/projects/decode/retention",
		url.Values{"balance_paid_on": {"2020-06-30"}, "retention_years": {"99"}, "needs_retention_days": {"30"}}, true); res.StatusCode != 422 {
		t.Errorf("invalid years: %d", res.StatusCode)
	}

	// Access export: JSON download with the handling notice, audited.
	res, body = e.do(t, "POST", "/admin/privacy/export", url.Values{"email": {e.email}, "format": {"json"}}, true)
	var x privacy.Export
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || json.Unmarshal([]byte(body), &x) != nil ||
		len(x.Registrations) != 1 || x.HandlingNotice == "" {
		t.Fatalf("JSON export: %d %s", res.StatusCode, body)
	}
	res, body = e.do(t, "POST", "/admin/privacy/export", url.Values{"email": {e.email}, "format": {"html"}}, true)
	if res.StatusCode != 200 || !strings.Contains(body, x.Registrations[0].LastName) {
		t.Fatalf("HTML export: %d", res.StatusCode)
	}
	es, _ := e.st.Audit(context.Background(), e.st.DB, store.AuditFilter{Action: "export.person_data"})
	if len(es) != 2 || !strings.HasPrefix(es[0].Actor, "user:") {
		t.Errorf("export audit: %+v", es)
	}

	// Notices: publish version 2 in every language.
	res, body = e.do(t, "GET", "/admin/privacy/projects/decode/notices", nil, true)
	if res.StatusCode != 200 || !strings.Contains(body, "Daugavpils") {
		t.Fatalf("notices: %d", res.StatusCode)
	}
	res, body = e.do(t, "POST", "/admin/privacy/projects/decode/notices", url.Values{"controller": {"Daugavpils City Council"},
		"contact": {"privacy@example.test"}, "authority": {"Data State Inspectorate"}, "preview": {"1"}}, true)
	if res.StatusCode != 200 || !strings.Contains(body, "privacy@example.test") || !strings.Contains(body, "Court of Auditors") {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	proj, _ := e.st.ProjectByCode(context.Background(), e.st.DB, "decode")
	if vs, _ := e.st.PrivacyNoticeVersions(context.Background(), e.st.DB, proj.ID); len(vs) != 1 {
		t.Errorf("the preview published a version: %+v", vs)
	}
	res, _ = e.do(t, "POST", "/admin/privacy/projects/decode/notices", url.Values{"controller": {"Daugavpils City Council"},
		"contact": {"privacy@example.test"}, "authority": {"Data State Inspectorate"}}, true)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	res, body = e.do(t, "GET", "/it/privacy/decode", nil, false)
	if res.StatusCode != 200 || !strings.Contains(body, "OLAF") || !strings.Contains(body, "privacy@example.test") || !strings.Contains(body, "Versione 2") {
		t.Fatalf("public notice (it): %d\n%s", res.StatusCode, body)
	}

	// Erasure: confirmation page, then the erasure itself.
	res, body = e.do(t, "POST", "/admin/privacy/erase/confirm", url.Values{"email": {e.email}}, true)
	if res.StatusCode != 200 || !strings.Contains(body, x.Registrations[0].LastName) {
		t.Fatalf("erase confirm: %d", res.StatusCode)
	}
	res, _ = e.do(t, "POST", "/admin/privacy/erase", url.Values{"email": {e.email}, "confirm": {"yes"}}, true)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", res.StatusCode)
	}
	r, _ := e.st.Registration(context.Background(), e.st.DB, x.Registrations[0].ID)
	if r.AnonymisedAt == nil || r.LastName != "" {
		t.Errorf("not erased: %+v", r)
	}

	// Anonymise: a wrong code is refused; the right one runs.
	if res, _ := e.do(t, "POST", "/admin/privacy/projects/decode/anonymise", url.Values{"confirm": {"nope"}}, true); res.StatusCode != 422 {
		t.Errorf("wrong code: %d", res.StatusCode)
	}
	res, _ = e.do(t, "POST", "/admin/privacy/projects/decode/anonymise", url.Values{"confirm": {"decode"}}, true)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymise: %d", res.StatusCode)
	}
	var left int
	e.st.DB.Get(&left, `SELECT count(*) FROM registrations WHERE anonymised_at IS NULL`)
	if left != 0 {
		t.Errorf("%d registrations left", left)
	}
}

func TestMyDataThroughPrivateLink(t *testing.T) {
	e := setup(t)
	res, body := e.do(t, "GET", e.regPath+"/my-data", nil, false)
	if res.StatusCode != 200 || !strings.Contains(body, e.email) || !strings.Contains(body, "personenbezogene Daten") ||
		res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("my data: %d %q\n%s", res.StatusCode, res.Header.Get("Cache-Control"), body)
	}
	res, body = e.do(t, "GET", e.regPath+"/my-data.json", nil, false)
	var x privacy.Export
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &x) != nil || len(x.Registrations) != 1 || x.Email != e.email {
		t.Fatalf("my data JSON: %d %s", res.StatusCode, body)
	}
	es, _ := e.st.Audit(context.Background(), e.st.DB, store.AuditFilter{Action: "export.person_data"})
	if len(es) != 2 || es[0].Actor != "participant" {
		t.Errorf("audit: %+v", es)
	}
	if res, _ := e.do(t, "GET", e.regPath+"x/my-data", nil, false); res.StatusCode != 404 {
		t.Errorf("wrong token: %d", res.StatusCode)
	}
}

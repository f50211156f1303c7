// Package hostile is the catalogue of bad inputs against the public pages
// and the APIs: each case must get a clear 4xx (or, for free text, be kept
// verbatim as inert text) and must write nothing it should not.
package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// fixture is a real server (the production http.Server settings) on a fresh
// database with the demo programme.
type fixture struct {
	url      string
	st       *store.Store
	openSlug string
	days     []string
	token    string // a door device's bearer token
	addr     atomic.Int64
	routes   []web.Route
	errors   *errorLog
	session  string // an administrator's session cookie
	sessCSRF string // and its CSRF token
}

// errorLog keeps the server's ERROR lines: a hostile request is the
// caller's mistake, never the server's failure.
type errorLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *errorLog) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelError }
func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" || a.Key == "panic" {
			line += " " + a.Key + "=" + a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
	return nil
}
func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }

// since returns the lines logged after the first n, and the new count.
func (l *errorLog) since(n int) ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines[n:]...), len(l.lines)
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	// Requests come from many addresses behind a trusted proxy, so that the
	// per-address limits do not answer 429 before the input is looked at.
	logs := &errorLog{}
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo, Production: true, Log: slog.New(logs),
		Env: map[string]string{"ATTEND_TRUSTED_PROXIES": "127.0.0.1"}})
	st := s.Store
	f := &fixture{url: s.URL, st: st, routes: s.Web.Routes(), errors: logs}
	var (
		ev  store.Event
		err error
	)
	if err := st.DB.GetContext(ctx, &f.openSlug, `SELECT slug FROM events ORDER BY first_day DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if ev, err = st.EventBySlug(ctx, st.DB, f.openSlug); err != nil {
		t.Fatal(err)
	}
	for _, d := range ev.Days() {
		f.days = append(f.days, d.Format(time.DateOnly))
	}
	door, err := st.EventBySlug(ctx, st.DB, bench.DoorEvent)
	if err != nil {
		t.Fatal(err)
	}
	toks, err := bench.AddDevices(ctx, st, door.ID, 1, f.url)
	if err != nil {
		t.Fatal(err)
	}
	f.token = toks[0]
	admin := store.User{Email: "hostile-admin@example.org", Name: "Hostile Admin", Role: auth.RoleAdmin, Language: "en"}
	if err := st.CreateUser(ctx, st.DB, &admin); err != nil {
		t.Fatal(err)
	}
	if f.session, err = auth.New(st, time.Now).StartSession(ctx, admin.ID, true); err != nil {
		t.Fatal(err)
	}
	sess, err := st.SessionByHash(ctx, st.DB, auth.Hash(f.session))
	if err != nil {
		t.Fatal(err)
	}
	f.sessCSRF = sess.CSRFToken
	return f
}

// counts are the rows a bad request must not add to.
var countedTables = []string{"registrations", "registration_days", "consents", "outbox", "tickets", "admissions", "scans",
	"devices", "api_tokens", "audit_log", "sessions", "users", "signatures", "double_entries", "delegations"}

func (f *fixture) counts(t testing.TB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, tb := range countedTables {
		var n int
		if err := f.st.DB.Get(&n, `SELECT count(*) FROM `+tb); err != nil {
			t.Fatal(err)
		}
		m[tb] = n
	}
	return m
}

// nextAddr is a fresh client address for X-Forwarded-For.
func (f *fixture) nextAddr() string {
	n := f.addr.Add(1)
	return fmt.Sprintf("10.77.%d.%d", n/250%250, n%250+1)
}

// expectation says what a case may answer.
type expectation int

const (
	// reject: a 4xx other than 429, and no row anywhere.
	reject expectation = iota
	// inert: a 4xx with no row, or accepted with the hostile text stored byte for byte.
	inert
	// logged: a scan answered 200 "invalid" (every scan is logged, failed ones
	// included) or a 4xx; nothing but the scan log may grow.
	logged
	// silent: any answer but a 5xx, and no row (the honeypot pretends success;
	// a sync upload answers per item; a staff page redirects to sign-in).
	silent
	// refused: a redirect (to sign-in) or a 4xx other than 429, and no row.
	refused
)

type hcase struct {
	name   string
	method string
	path   string
	ctype  string
	body   []byte
	header map[string]string
	expect expectation
	// stored is the text that must be found verbatim when an inert case is accepted.
	stored string
	auth   bool // send the door device's token
	form   bool // a browser form post: CSRF cookie and token are added
	// mayWrite are tables a refused request may still add to (failed
	// sign-ins are audited).
	mayWrite []string
	session  bool // sent by a signed-in administrator (cookie and CSRF header)
	chunked  bool // the body is sent without a Content-Length
	status   int  // the exact status wanted, when it matters
}

// regBody is a valid registration (API) with one field replaced by v.
func (f *fixture) regBody(field string, v any) []byte {
	m := map[string]any{
		"first_name": "Hostile", "last_name": "Catalogue", "email": fmt.Sprintf("hostile-%d@example.org", f.addr.Add(1)),
		"country": "LV", "city": "Daugavpils", "participation": "local", "language": "en",
		"privacy_notice_accepted": true,
	}
	if field != "" {
		m[field] = v
	}
	b, _ := json.Marshal(m)
	return b
}

// rawField puts raw (possibly invalid UTF-8) bytes as a JSON string value.
func (f *fixture) rawField(field string, raw []byte) []byte {
	b := f.regBody(field, "\x01PLACEHOLDER\x01")
	return bytes.Replace(b, []byte(`"\u0001PLACEHOLDER\u0001"`), append(append([]byte(`"`), raw...), '"'), 1)
}

func scanBody(payload, scanID string, extra map[string]any) []byte {
	m := map[string]any{"payload": payload, "scan_id": scanID, "scanned_at": time.Now().UTC().Format(time.RFC3339Nano)}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

var uuidN atomic.Int64

func newScanID() string {
	return fmt.Sprintf("7e57a11e-0000-4000-8000-%012d", uuidN.Add(1))
}

// injections are strings that must never be interpreted: SQL, markup,
// templates, formulas, paths, header and log injection.
var injections = []string{
	`'; DROP TABLE registrations; --`,
	`" OR "1"="1`,
	`1; SELECT pg_sleep(5)--`,
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`{{.Config}}`,
	`${jndi:ldap://example.org/a}`,
	`=HYPERLINK("http://example.org","x")`,
	`+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	`../../../../etc/passwd`,
	`%00%0d%0aSet-Cookie: x=1`,
	`\u202Egnp.exe`,
	`Robert'); DELETE FROM scans;--`,
}

func (f *fixture) catalogue() []hcase {
	api := "/api/v1/events/" + f.openSlug + "/registrations"
	form := "/en/events/" + f.openSlug + "/register"
	var cs []hcase
	add := func(c hcase) {
		if c.method == "" {
			c.method = http.MethodPost
		}
		cs = append(cs, c)
	}
	js := "application/json"

	// Registration API: injections in every free-text field are kept as text.
	for _, field := range []string{"first_name", "last_name", "city", "organisation", "needs"} {
		for i, s := range injections {
			add(hcase{name: fmt.Sprintf("api %s injection %d", field, i), path: api, ctype: js, body: f.regBody(field, s), expect: inert, stored: s})
		}
	}
	// Registration API: field values that must be refused.
	bad := []struct {
		field string
		v     any
	}{
		{"email", "not-an-address"}, {"email", "a@b.c\r\nBcc: victim@example.org"}, {"email", strings.Repeat("a", 300) + "@example.org"},
		{"email", "<script>@example.org"}, {"email", ""}, {"country", "XX"}, {"country", "L1"}, {"country", "LVA"},
		{"country", "'; DROP TABLE x;--"}, {"participation", "admin"}, {"participation", ""},
		{"language", "zz-Hack"}, {"language", strings.Repeat("x", 500)}, {"days", []string{"2001-01-01"}},
		{"days", []string{"not-a-date"}}, {"days", "2019-05-28"}, {"days", []any{1, 2}},
		{"days", make([]string, 5000)}, {"privacy_notice_accepted", false}, {"privacy_notice_accepted", "yes"},
		{"first_name", ""}, {"first_name", strings.Repeat("Ā", 5000)}, {"first_name", 12}, {"first_name", []string{"a"}},
		{"first_name", "line\nbreak"}, {"first_name", "nul\x00byte"}, {"first_name", "bell\x07"}, {"last_name", "\u0000"},
		{"age_band", "1000-2000"}, {"gender", "<b>x</b>"}, {"phone", strings.Repeat("9", 2000)},
		{"city", strings.Repeat("x", 1<<19)}, {"organisation", strings.Repeat("y", 100000)},
		{"unknown_field", "x"},
	}
	for i, b := range bad {
		add(hcase{name: fmt.Sprintf("api bad %s %d", b.field, i), path: api, ctype: js, body: f.regBody(b.field, b.v), expect: reject})
	}
	for i, p := range []string{"../../admin", "no-such-partner", "' OR 1=1--", ""} {
		b := f.regBody("participation", "invited")
		b = bytes.Replace(b, []byte(`"participation"`), []byte(fmt.Sprintf(`"partner":%q,"participation"`, p)), 1)
		add(hcase{name: fmt.Sprintf("api bad partner %d", i), path: api, ctype: js, body: b, expect: reject})
	}
	// Registration API: invalid UTF-8 in a field.
	for i, raw := range [][]byte{{0xff, 0xfe}, {0xc3, 0x28}, {0xe2, 0x82}, {0xed, 0xa0, 0x80}, {0xf8, 0x88, 0x80, 0x80, 0x80}} {
		add(hcase{name: fmt.Sprintf("api invalid utf-8 %d", i), path: api, ctype: js, body: f.rawField("first_name", raw), expect: reject})
	}
	// Registration API: bodies that are not the JSON object asked for.
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	deepObj := strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)
	for i, b := range []string{
		"", "{", "}", "null", "[]", "true", "42", `"string"`, `{"first_name": }`, `{"first_name": "a",}`,
		string(f.regBody("", nil)) + "{}", string(f.regBody("", nil)) + " garbage", deep, deepObj,
		`{"first_name": "\ud800"}`, "\xef\xbb\xbf" + string(f.regBody("", nil)), `{"days": {"$gt": ""}}`,
		`{"first_name": "a", "first_name": {"nested": true}}`,
	} {
		add(hcase{name: fmt.Sprintf("api malformed %d", i), path: api, ctype: js, body: []byte(b), expect: reject})
	}
	// Registration API: wrong content types.
	for i, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"application/xml", "application/json-patch+json", "text/html; charset=utf-8", "application/javascript"} {
		add(hcase{name: fmt.Sprintf("api content type %d", i), path: api, ctype: ct, body: f.regBody("", nil), expect: reject})
	}
	// Registration API: oversized bodies and paths.
	add(hcase{name: "api 2 MiB body", path: api, ctype: js, body: f.regBody("needs", strings.Repeat("z", 2<<20)), expect: reject})
	add(hcase{name: "api 1 MiB field", path: api, ctype: js, body: f.regBody("first_name", strings.Repeat("z", 1<<20)), expect: reject})
	add(hcase{name: "api unknown event", path: "/api/v1/events/no-such-event/registrations", ctype: js, body: f.regBody("", nil), expect: reject})
	add(hcase{name: "api event slug injection", path: "/api/v1/events/" + url.PathEscape("x' OR '1'='1") + "/registrations", ctype: js, body: f.regBody("", nil), expect: reject})
	add(hcase{name: "api GET on POST route", method: http.MethodPut, path: api, ctype: js, body: f.regBody("", nil), expect: reject})

	// Registration form: injections kept as text, bad values refused, CSRF enforced.
	formBody := func(field, v string) []byte {
		vs := url.Values{"first_name": {"Hostile"}, "last_name": {"Form"}, "email": {fmt.Sprintf("hostile-form-%d@example.org", f.addr.Add(1))},
			"country": {"LV"}, "city": {"Daugavpils"}, "participation": {"local"}, "language": {"en"},
			"privacy_notice_accepted": {"1"}, "days": f.days}
		if field != "" {
			vs.Set(field, v)
		}
		return []byte(vs.Encode())
	}
	fct := "application/x-www-form-urlencoded"
	for i, s := range injections[:8] {
		add(hcase{name: fmt.Sprintf("form injection %d", i), path: form, ctype: fct, body: formBody("last_name", s), expect: inert, stored: s, form: true})
	}
	for i, b := range []struct{ field, v string }{
		{"email", "nope"}, {"email", "a@b.c\nBcc: x@example.org"}, {"country", "ZZ"}, {"first_name", "\x00"},
		{"first_name", "\xff\xfe"}, {"city", "\xc3\x28"}, {"days", "1999-01-01"}, {"participation", "root"},
		{"first_name", strings.Repeat("x", 5000)},
	} {
		add(hcase{name: fmt.Sprintf("form bad %s %d", b.field, i), path: form, ctype: fct, body: formBody(b.field, b.v), expect: reject, form: true})
	}
	add(hcase{name: "form honeypot filled", path: form, ctype: fct, body: formBody("website", "http://spam.example.org"), expect: silent, form: true})
	add(hcase{name: "form without CSRF token", path: form, ctype: fct, body: formBody("", ""), expect: reject})
	add(hcase{name: "form 2 MiB body", path: form, ctype: fct, body: formBody("needs", strings.Repeat("q", 2<<20)), expect: reject, form: true})
	add(hcase{name: "form broken encoding", path: form, ctype: fct, body: []byte("first_name=%zz&%%%"), expect: reject, form: true})

	// Scan API: authentication.
	sb := scanBody("DA1:AAAA", newScanID(), nil)
	add(hcase{name: "scan no token", path: "/api/v1/scans", ctype: js, body: sb, expect: reject})
	for i, h := range []string{"Bearer ", "Bearer x", "Basic YWRtaW46YWRtaW4=", "Bearer " + strings.Repeat("A", 10000),
		"Bearer ' OR 1=1--", "bearer " + f.token, "Bearer " + f.token + "x"} {
		add(hcase{name: fmt.Sprintf("scan bad authorization %d", i), path: "/api/v1/scans", ctype: js, body: sb,
			header: map[string]string{"Authorization": h}, expect: reject})
	}
	// Scan API: hostile payloads are scans of a bad ticket: logged as invalid.
	for i, p := range []string{"", "DA1:", "DA1:" + strings.Repeat("A", 199), "not a ticket", injections[0], injections[3],
		"DA1:\u0000\u0000", "DA1:ÄÖÜ", "\u202EDA1:AAAA"} {
		add(hcase{name: fmt.Sprintf("scan hostile payload %d", i), path: "/api/v1/scans", ctype: js, auth: true,
			body: scanBody(p, newScanID(), nil), expect: logged})
	}
	// Scan API: request shape errors.
	for i, b := range [][]byte{
		scanBody("DA1:AAAA", "not-a-uuid", nil), scanBody("DA1:AAAA", "00000000-0000-0000-0000-000000000000", nil),
		scanBody("DA1:AAAA", strings.Repeat("a", 10000), nil), scanBody("DA1:AAAA", newScanID(), map[string]any{"scanned_at": "yesterday"}),
		scanBody("DA1:AAAA", newScanID(), map[string]any{"day": "2019-13-45"}), scanBody("DA1:AAAA", newScanID(), map[string]any{"day": "'; DROP TABLE scans;--"}),
		scanBody("DA1:AAAA", newScanID(), map[string]any{"method": "telepathy"}), scanBody(strings.Repeat("P", 5000), newScanID(), nil),
		scanBody("DA1:AAAA", newScanID(), map[string]any{"scanned_at": "1970-01-01T00:00:00Z"}),
		[]byte(`{"payload": "DA1:AAAA", "scan_id": `), []byte(deep), []byte("\xff\xfe{}"), []byte(`[]`),
	} {
		add(hcase{name: fmt.Sprintf("scan bad request %d", i), path: "/api/v1/scans", ctype: js, auth: true, body: b, expect: reject})
	}
	add(hcase{name: "scan invalid utf-8 payload", path: "/api/v1/scans", ctype: js, auth: true, expect: logged,
		body: bytes.Replace(scanBody("\x01X\x01", newScanID(), nil), []byte(`"\u0001X\u0001"`), []byte("\"DA1:\xff\xfe\""), 1)})
	add(hcase{name: "scan wrong content type", path: "/api/v1/scans", ctype: "text/plain", auth: true, body: scanBody("DA1:AAAA", newScanID(), nil), expect: reject})
	add(hcase{name: "scan 2 MiB body", path: "/api/v1/scans", ctype: js, auth: true, body: scanBody(strings.Repeat("P", 2<<20), newScanID(), nil), expect: reject})
	// Offline sync upload.
	for i, b := range []string{`{"scans": "x"}`, `{"scans": [` + strings.Repeat(`{},`, 20000) + `{}]}`, deep, `{"scans": {"0": {}}}`} {
		add(hcase{name: fmt.Sprintf("batch bad %d", i), path: "/api/v1/scans/batch", ctype: js, auth: true, body: []byte(b), expect: reject})
	}
	// Malformed items are refused one by one in a 200 answer; nothing is stored.
	for i, b := range []string{`{"scans": [{"scan_id": "x"}]}`, "null", `{"scans": [{"scan_id": "` + newScanID() + `", "scanned_at": "never"}]}`} {
		add(hcase{name: fmt.Sprintf("batch bad item %d", i), path: "/api/v1/scans/batch", ctype: js, auth: true, body: []byte(b), expect: silent})
	}

	// Sign-in, link resending, private links, staff APIs.
	for i, e := range []string{injections[0], injections[3], "admin@example.org' --", strings.Repeat("a", 5000) + "@example.org", "\xff\xfe@example.org"} {
		add(hcase{name: fmt.Sprintf("signin injection %d", i), path: "/signin", ctype: fct,
			body: []byte(url.Values{"email": {e}, "password": {"' OR '1'='1"}}.Encode()), expect: reject, form: true, mayWrite: []string{"audit_log"}})
	}
	add(hcase{name: "signin without CSRF token", path: "/signin", ctype: fct, body: []byte("email=a%40example.org&password=x"), expect: reject})
	add(hcase{name: "signin 2 MiB password", path: "/signin", ctype: fct, body: []byte("email=a%40example.org&password=" + strings.Repeat("p", 2<<20)), expect: reject, form: true})
	for i, e := range []string{injections[0], "nobody@example.org", "a@b.c\r\nBcc: victim@example.org", strings.Repeat("r", 3000)} {
		add(hcase{name: fmt.Sprintf("resend link %d", i), path: "/en/resend-link", ctype: fct,
			body: []byte(url.Values{"email": {e}, "event": {f.openSlug}}.Encode()), expect: silent, form: true})
	}
	for i, p := range []string{"/en/r/1/forged-token", "/en/r/1/forged-token/my-data.json", "/en/r/1/forged-token/ticket.pdf",
		"/en/r/1/forged-token/qr.png", "/en/r/99999999999999999999/x", "/en/confirm/" + strings.Repeat("f", 64)} {
		add(hcase{name: fmt.Sprintf("private link %d", i), method: http.MethodGet, path: p, expect: reject})
	}
	for i, p := range []string{"/en/r/1/forged-token/cancel", "/en/r/1/forged-token/edit", "/en/r/1/forged-token/days"} {
		add(hcase{name: fmt.Sprintf("private link post %d", i), path: p, ctype: fct, body: []byte("days=2019-01-01"), expect: reject, form: true})
	}
	add(hcase{name: "report API without token", method: http.MethodGet, path: "/api/v1/projects/decode/report", expect: reject})
	add(hcase{name: "report API with a door token", method: http.MethodGet, path: "/api/v1/projects/decode/report", auth: true, expect: reject})
	add(hcase{name: "event report API with a door token", method: http.MethodGet, path: "/api/v1/events/" + f.openSlug + "/report", auth: true, expect: reject})
	add(hcase{name: "door bundle without token", method: http.MethodGet, path: "/api/v1/door/bundle", expect: reject})
	add(hcase{name: "door search injection", method: http.MethodGet, path: "/api/v1/door/search?q=" + url.QueryEscape("%' OR 1=1--"), auth: true, expect: silent})
	add(hcase{name: "walk-in without fields", path: "/api/v1/door/walkins", ctype: js, auth: true, body: []byte(`{}`), expect: reject})
	add(hcase{name: "walk-in injection country", path: "/api/v1/door/walkins", ctype: js, auth: true,
		body: []byte(`{"first_name":"A","last_name":"B","country":"'; DROP TABLE x;--","privacy_notice_accepted":true}`), expect: reject})
	add(hcase{name: "undo with a door token", path: "/api/v1/door/undo", ctype: js, auth: true, body: []byte(`{"registration_id": 1}`), expect: reject})
	// Invalid UTF-8 reaching a query as text: PostgreSQL refuses it (22021);
	// the answer must still be a 4xx, not a 500.
	add(hcase{name: "utf-8 event slug page", method: http.MethodGet, path: "/en/events/%FF%FE", expect: reject})
	add(hcase{name: "utf-8 event slug api", path: "/api/v1/events/%FF%FE/registrations", ctype: js, body: f.regBody("", nil), expect: reject})
	add(hcase{name: "utf-8 resend link", path: "/en/resend-link", ctype: fct, body: []byte("email=%FF%FE%40example.org&event=" + f.openSlug), expect: silent, form: true})
	add(hcase{name: "utf-8 door search", method: http.MethodGet, path: "/api/v1/door/search?q=%FF%FE", auth: true, expect: silent})
	add(hcase{name: "utf-8 private link", method: http.MethodGet, path: "/en/r/1/%FF%FE", expect: reject})
	add(hcase{name: "utf-8 confirm link", method: http.MethodGet, path: "/en/confirm/%FF%FE", expect: reject})
	add(hcase{name: "device creation without session", path: "/admin/devices", ctype: fct, body: []byte("name=x&event=1"), expect: reject})

	// Every state-changing route of the route table, called by nobody (no
	// session, no CSRF token, no bearer token) with a hostile body: refused,
	// nothing written. New routes join this list as they land.
	for _, rt := range f.routes {
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead {
			continue
		}
		path := routePath(rt.Path, f.openSlug)
		for i, body := range [][]byte{[]byte("name=" + url.QueryEscape(injections[0]) + "&id=1&confirm=1"), []byte(`{"id": 1, "all": true}`)} {
			ct := fct
			if i == 1 {
				ct = js
			}
			add(hcase{name: fmt.Sprintf("anonymous %s %s %d", rt.Method, rt.Path, i), method: rt.Method, path: path, ctype: ct, body: body, expect: refused})
		}
	}

	// Pages and paths.
	for i, p := range []string{
		"/xx/", "/en/events/" + url.PathEscape("<script>alert(1)</script>"), "/en/events/" + url.PathEscape("' OR 1=1--"),
		"/assets/x/../../go.mod", "/assets/0000/%2e%2e/%2e%2e/go.mod", "/en/r/1/" + strings.Repeat("a", 5000),
		"/en/confirm/" + url.PathEscape("'; DROP TABLE registrations;--"), "/api/v1/events/" + strings.Repeat("x", 3000),
		"/en/r/-1/x/ticket.pdf", "/en/r/1/" + url.PathEscape("<b>") + "/ticket", "/api/v1/events/x/registrations",
	} {
		add(hcase{name: fmt.Sprintf("page %d", i), method: http.MethodGet, path: p, expect: reject})
	}
	for i, p := range []string{"/admin/devices", "/admin/outbox", "/door/live", "/%00",
		"/en/events/" + f.openSlug + "/register?" + strings.Repeat("a=1&", 5000)} {
		add(hcase{name: fmt.Sprintf("page redirect %d", i), method: http.MethodGet, path: p, expect: silent})
	}
	for i, m := range []string{"TRACE", "PROPFIND", "DELETE", "PATCH"} {
		add(hcase{name: fmt.Sprintf("method %d %s", i, m), method: m, path: "/api/v1/events", expect: reject})
	}
	add(hcase{name: "header too large", method: http.MethodGet, path: "/api/v1/events",
		header: map[string]string{"X-Big": strings.Repeat("h", 100<<10)}, expect: reject})

	// Hostile bytes (NUL, other control characters, invalid UTF-8) and
	// out-of-range integers in a path, a query or a body field: one guard
	// at the edge answers 400 before PostgreSQL sees them, whoever asks.
	slug := f.openSlug
	hostileGets := []string{
		"/en/events/a%00b", "/en/events/a%01b", "/en/events/%FF", "/en/events/a%0D%0Ab", "/en/events/a%C2%9Bb",
		"/en/events/" + slug + "/register?first_name=%00", "/en/events/" + slug + "?x=%FF", "/en/privacy/a%00b",
		"/en/r/1/a%00b/ticket", "/en/r/1/a%00b/my-data.json", "/en/confirm/a%00b", "/en/resend-link?event=%00",
		"/?lang=%FF", "/api/v1/events?x=%00", "/api/v1/events?%00=1", "/nowhere/a%00b", "/api/v1/nowhere/%FF",
	}
	staffGets := []string{
		"/admin/registrations?q=%00", "/admin/registrations?q=%FF", "/admin/registrations?q=a%07b",
		"/admin/registrations?event=%FF", "/admin/registrations?page=99999999999999999999",
		"/door/live?event=%FF", "/door/live?event=%00", "/door/live?event=99999999999999999999", "/door/live?event=99999999999",
		"/admin/privacy/projects/decode/notices?v=99999999999", "/admin/privacy/projects/decode/notices?v=99999999999999999999",
		"/admin/audit?before=99999999999999999999", "/admin/mail?before=99999999999999999999", "/admin/outbox?before=%00",
		"/admin/reports/events/" + slug + "?rules=%00", "/admin/reports/events/a%00b", "/admin/events/a%00b",
		"/admin/reports/events/" + slug + "/participants?format=xlsx&columns=%FF", "/admin/users/99999999999999999999",
		"/admin/registrations/99999999999", "/partner/delegations/99999999999999999999",
		"/api/v1/events/a%00b/report", "/api/v1/events/" + slug + "/report?rules=%FF", "/api/v1/projects/%FF/report",
		"/api/v1/door/search?event=" + slug + "&q=%00", "/api/v1/door/counts?event=%FF", "/api/v1/door/bundle?event=a%00b",
		"/door/sign/a%00b", "/door/sign/" + slug + "/99999999999999999999",
	}
	for i, p := range hostileGets {
		add(hcase{name: fmt.Sprintf("hostile get %d anonymous", i), method: http.MethodGet, path: p, expect: reject})
		add(hcase{name: fmt.Sprintf("hostile get %d signed in", i), method: http.MethodGet, path: p, expect: reject, session: true})
	}
	for i, p := range staffGets {
		add(hcase{name: fmt.Sprintf("hostile staff get %d anonymous", i), method: http.MethodGet, path: p, expect: refused})
		add(hcase{name: fmt.Sprintf("hostile staff get %d signed in", i), method: http.MethodGet, path: p, expect: reject, session: true})
	}
	add(hcase{name: "hostile door search with a door token", method: http.MethodGet, path: "/api/v1/door/search?q=a%00b", auth: true, expect: reject})
	add(hcase{name: "hostile door counts with a door token", method: http.MethodGet, path: "/api/v1/door/counts?day=%FF", auth: true, expect: reject})

	// Form fields: single-line fields refuse line breaks too.
	for i, b := range []struct{ path, body string }{
		{"/admin/devices", "event=" + slug + "&name=Door%0D%0A1"}, {"/admin/devices", "event=" + slug + "&name=Door%001"},
		{"/admin/devices", "event=" + slug + "&name=%FF%FE"}, {"/admin/devices", "event=" + slug + "&name=Door%C2%851"},
		{"/admin/devices", "event=a%00b&name=Door"},
		{"/admin/users", "email=x%40example.org&role=door&language=en&name=Eve%00"},
		{"/admin/users", "email=x%40example.org&role=door&language=en&name=Eve%0AMallory"},
		{"/admin/users", "email=x%40example.org%00&role=door&language=en&name=Eve"},
		{"/admin/projects", "code=x%00&name=Project"}, {"/admin/projects", "code=xy&name=%07Project"},
		{"/admin/privacy/export", "email=a%00%40example.org"}, {"/admin/privacy/erase/confirm", "email=%FF%40example.org"},
		{"/admin/privacy/projects/decode/retention", "retention_years=99999999999&needs_retention_days=30"},
		{"/admin/registrations/1", "first_name=A%00&last_name=B"},
		{"/admin/users/1/grants", "event=a%00b"},
	} {
		add(hcase{name: fmt.Sprintf("hostile staff form %d anonymous", i), path: b.path, ctype: fct, body: []byte(b.body), expect: refused})
		add(hcase{name: fmt.Sprintf("hostile staff form %d signed in", i), path: b.path, ctype: fct, body: []byte(b.body), expect: reject,
			session: true, mayWrite: []string{"audit_log"}})
	}
	for i, b := range []string{"email=a%00%40example.org&event=" + slug, "email=a%40example.org&event=a%00b",
		"email=a%40example.org&event=" + slug + "&x=%0D%0A"} {
		add(hcase{name: fmt.Sprintf("hostile resend form %d", i), path: "/en/resend-link", ctype: fct, body: []byte(b), expect: reject, form: true})
	}
	add(hcase{name: "hostile signin email", path: "/signin", ctype: fct, body: []byte("email=a%00%40example.org&password=x"), expect: reject, form: true})

	// JSON fields of the door: walk-in names, desk reasons; numbers beyond 64 bits.
	walkin := func(field, raw string) []byte {
		m := map[string]string{"first_name": `"Walk"`, "last_name": `"In"`, "country": `"LV"`, "participation": `"local"`}
		m[field] = raw
		var b strings.Builder
		b.WriteString(`{"consent": true`)
		for k, v := range m {
			b.WriteString(`, "` + k + `": ` + v)
		}
		b.WriteString("}")
		return []byte(b.String())
	}
	for i, w := range []struct{ field, raw string }{
		{"first_name", `"Wa\u0000lk"`}, {"first_name", `"Wa\r\nlk"`}, {"last_name", `"\u0007In"`}, {"last_name", `"In\u009b"`},
		{"first_name", "\"Wa\xff\xfelk\""}, {"city", `"Daug\u0000avpils"`}, {"organisation", `"Org\nName"`},
		{"email", `"a\u0000@example.org"`}, {"country", `"L\u0000"`}, {"scan_id", `99999999999999999999`}, {"language", `1e400`},
	} {
		add(hcase{name: fmt.Sprintf("hostile walk-in %s %d", w.field, i), path: "/api/v1/door/walkins", ctype: js, auth: true,
			body: walkin(w.field, w.raw), expect: reject})
		add(hcase{name: fmt.Sprintf("hostile walk-in %s %d signed in", w.field, i), path: "/api/v1/door/walkins?event=" + slug, ctype: js,
			session: true, body: walkin(w.field, w.raw), expect: reject})
	}
	for i, b := range []string{`{"registration_id": 1, "reason": "lost\u0000ticket"}`, `{"registration_id": 1, "reason": "lost\nticket"}`,
		`{"registration_id": 1, "reason": "\u001b[31mred"}`, `{"registration_id": 99999999999999999999, "reason": "x"}`,
		`{"registration_id": 1e400, "reason": "x"}`, "{\"registration_id\": 1, \"reason\": \"\xc3\x28\"}"} {
		add(hcase{name: fmt.Sprintf("hostile desk admit %d", i), path: "/api/v1/door/admit", ctype: js, auth: true, body: []byte(b), expect: reject})
		add(hcase{name: fmt.Sprintf("hostile desk admit %d signed in", i), path: "/api/v1/door/admit?event=" + slug, ctype: js,
			session: true, body: []byte(b), expect: reject})
		add(hcase{name: fmt.Sprintf("hostile desk undo %d signed in", i), path: "/api/v1/door/undo?event=" + slug, ctype: js,
			session: true, body: []byte(b), expect: reject})
	}
	add(hcase{name: "hostile registration API number", path: "/api/v1/events/" + slug + "/registrations", ctype: js,
		body: bytes.Replace(f.regBody("", nil), []byte(`{`), []byte(`{"days": [99999999999999999999],`), 1), expect: reject})

	// A body over the limit is 413 whether or not its length is announced.
	big := strings.Repeat("z", 2<<20)
	for _, b := range []hcase{
		{name: "chunked 2 MiB registration API", path: "/api/v1/events/" + slug + "/registrations", ctype: js, body: f.regBody("needs", big)},
		{name: "chunked 2 MiB scan", path: "/api/v1/scans", ctype: js, auth: true, body: scanBody(big, newScanID(), nil)},
		{name: "chunked 2 MiB walk-in", path: "/api/v1/door/walkins", ctype: js, auth: true, body: walkin("city", `"`+big+`"`)},
		{name: "chunked 2 MiB resend form", path: "/en/resend-link", ctype: fct, body: []byte("email=a%40example.org&x=" + big), form: true},
		{name: "chunked 2 MiB device form signed in", path: "/admin/devices", ctype: fct, body: []byte("event=" + slug + "&name=" + big), session: true},
		{name: "chunked 2 MiB walk-in signed in", path: "/api/v1/door/walkins?event=" + slug, ctype: js, session: true, body: walkin("city", `"`+big+`"`)},
	} {
		b.chunked, b.expect, b.status = true, reject, http.StatusRequestEntityTooLarge
		add(b)
	}
	return cs
}

// knownDefects are cases this catalogue found failing in code owned by other
// areas, reported to them; each prints a line instead of failing the test
// until fixed. A known case that passes fails the test, so that the entry is
// removed and the case guards the fix from then on.
var knownDefects = map[string]string{
	// "case name": "what fails, and whose it is",
}

// routePath fills a route pattern's parameters with plausible values.
func routePath(pattern, slug string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		switch {
		case p == ":lang":
			parts[i] = "en"
		case p == ":slug":
			parts[i] = slug
		case p == ":code":
			parts[i] = "decode"
		case strings.HasPrefix(p, ":"):
			parts[i] = "1"
		case strings.HasPrefix(p, "*"):
			parts[i] = "x"
		}
	}
	return strings.Join(parts, "/")
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)

// csrf fetches the form to get a CSRF cookie and token, as a browser would.
func (f *fixture) csrf(t testing.TB, c *http.Client) (cookie, token string) {
	t.Helper()
	resp, err := c.Get(f.url + "/en/events/" + f.openSlug + "/register")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := csrfInput.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no CSRF token in the registration form (status %d)", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "attend_csrf" {
			cookie = ck.Value
		}
	}
	return cookie, string(m[1])
}

func (f *fixture) do(t *testing.T, c *http.Client, hc hcase) (int, string, error) {
	body := hc.body
	var cookie string
	if hc.form {
		ck, tok := f.csrf(t, c)
		cookie = ck
		body = append([]byte("csrf_token="+tok+"&"), body...)
	}
	var rd io.Reader = bytes.NewReader(body)
	if hc.chunked {
		rd = io.MultiReader(bytes.NewReader(body)) // no length known: sent chunked
	}
	req, err := http.NewRequest(hc.method, f.url+hc.path, rd)
	if err != nil {
		return 0, "", err
	}
	if hc.session {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: f.session})
		req.Header.Set("X-CSRF-Token", f.sessCSRF)
	}
	if hc.ctype != "" {
		req.Header.Set("Content-Type", hc.ctype)
	}
	req.Header.Set("X-Forwarded-For", f.nextAddr())
	if hc.auth {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	for k, v := range hc.header {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "attend_csrf", Value: cookie})
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), nil
}

// stackHints are signs of internals leaking into an answer.
var stackHints = []string{"goroutine ", "runtime/", ".go:", "panic:", "pq: ", "SQLSTATE", "sql: "}

func TestHostileInputs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := f.catalogue()
	if len(cases) < 100 {
		t.Fatalf("the catalogue has %d cases, want at least 100", len(cases))
	}
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The valid request the cases are variations of must itself be accepted,
	// or every "refused" below would prove nothing.
	if status, body, err := f.do(t, c, hcase{name: "valid", method: http.MethodPost, path: "/api/v1/events/" + f.openSlug + "/registrations",
		ctype: "application/json", body: f.regBody("", nil)}); err != nil || status != http.StatusAccepted {
		t.Fatalf("the valid registration is not accepted: %d %v %s", status, err, body)
	}

	byStatus := map[int]int{}
	failed, accepted, known := 0, 0, 0
	nErrors := 0
	for _, hc := range cases {
		before := f.counts(t)
		status, body, err := f.do(t, c, hc)
		after := f.counts(t)
		var errLines []string
		errLines, nErrors = f.errors.since(nErrors)
		byStatus[status]++
		var problems []string
		grew := func(except ...string) []string {
			var out []string
			for _, tb := range countedTables {
				skip := false
				for _, e := range except {
					skip = skip || e == tb
				}
				if !skip && after[tb] != before[tb] {
					out = append(out, fmt.Sprintf("%s %+d", tb, after[tb]-before[tb]))
				}
			}
			return out
		}
		isClear4xx := status >= 400 && status < 500 && status != http.StatusTooManyRequests
		switch {
		case err != nil:
			// Refusing to read a hostile request (a closed connection) is acceptable only for oversized ones.
			if !strings.Contains(hc.name, "MiB") && !strings.Contains(hc.name, "too large") {
				problems = append(problems, "transport error: "+err.Error())
			}
		case status >= 500:
			problems = append(problems, fmt.Sprintf("status %d", status))
		case hc.expect == reject:
			if !isClear4xx {
				problems = append(problems, fmt.Sprintf("status %d, want a 4xx", status))
			}
			if g := grew(hc.mayWrite...); len(g) > 0 {
				problems = append(problems, "wrote "+strings.Join(g, ", "))
			}
		case hc.expect == inert:
			if isClear4xx {
				if g := grew(); len(g) > 0 {
					problems = append(problems, "refused but wrote "+strings.Join(g, ", "))
				}
				break
			}
			if status != http.StatusAccepted && status != http.StatusSeeOther {
				problems = append(problems, fmt.Sprintf("status %d, want 4xx, 202 or 303", status))
				break
			}
			accepted++
			var n int
			f.st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE id = (SELECT max(id) FROM registrations)
				AND $1 IN (first_name, last_name, city, organisation, needs_access)`, hc.stored)
			if n != 1 {
				problems = append(problems, "accepted but the text was not kept verbatim")
			}
		case hc.expect == refused:
			if !isClear4xx && (status < 300 || status >= 400) {
				problems = append(problems, fmt.Sprintf("status %d, want a redirect or a 4xx", status))
			}
			if g := grew(); len(g) > 0 {
				problems = append(problems, "wrote "+strings.Join(g, ", "))
			}
		case hc.expect == silent:
			if g := grew(); len(g) > 0 {
				problems = append(problems, "wrote "+strings.Join(g, ", "))
			}
		case hc.expect == logged:
			if status == http.StatusOK {
				var r struct {
					Result string `json:"result"`
				}
				json.Unmarshal([]byte(body), &r)
				if r.Result != "invalid" {
					problems = append(problems, fmt.Sprintf("result %q, want invalid", r.Result))
				}
				if after["scans"] != before["scans"]+1 {
					problems = append(problems, "the scan was not logged")
				}
				if g := grew("scans"); len(g) > 0 {
					problems = append(problems, "wrote "+strings.Join(g, ", "))
				}
			} else if !isClear4xx {
				problems = append(problems, fmt.Sprintf("status %d, want 200 invalid or a 4xx", status))
			} else if g := grew(); len(g) > 0 {
				problems = append(problems, "refused but wrote "+strings.Join(g, ", "))
			}
		}
		if hc.status != 0 && status != hc.status && err == nil {
			problems = append(problems, fmt.Sprintf("status %d, want %d", status, hc.status))
		}
		if len(errLines) > 0 {
			problems = append(problems, "ERROR logged: "+strings.Join(errLines, " | "))
		}
		for _, h := range stackHints {
			if strings.Contains(body, h) {
				problems = append(problems, fmt.Sprintf("answer shows internals (%q)", h))
				break
			}
		}
		why, isKnown := knownDefects[hc.name]
		switch {
		case len(problems) > 0 && isKnown:
			known++
			fmt.Printf("hostile: KNOWN DEFECT %s: %s (%s)\n", hc.name, strings.Join(problems, "; "), why)
		case len(problems) > 0:
			failed++
			t.Errorf("%s: %s", hc.name, strings.Join(problems, "; "))
		case isKnown:
			t.Errorf("%s passes now: remove it from knownDefects", hc.name)
		}
	}
	fmt.Printf("hostile: %d cases, %d as expected, %d not, %d known defects; kept as inert text %d; statuses %v\n",
		len(cases), len(cases)-failed-known, failed, known, accepted, byStatus)
}

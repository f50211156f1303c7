package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
)

// Hostile texts as they might be typed into the public registration form.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'; DROP TABLE registrations; --`,
}

// raw fragments that must never reach a page unescaped.
var rawHostile = []string{"<script>alert(1)", "<img src=x onerror", `"><img`}

func addHostile(t *testing.T, f *fixture) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for i, h := range hostile {
		email := "hostile" + itoa(int64(i)) + "@example.org"
		r := store.Registration{EventID: f.eventA.ID, Status: "confirmed", FirstName: h, LastName: h, Email: &email,
			Country: "LV", City: h, Organisation: h, Participation: "local", NeedsAccess: h, NeedsDiet: h, Source: "web"}
		if err := f.st.InsertRegistration(ctx, f.st.DB, &r, f.eventA.Days()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	// A staff account with a hostile name too.
	u := store.User{Email: "evil@example.org", Name: hostile[1], Role: auth.RoleDoor}
	if err := f.st.CreateUser(ctx, f.st.DB, &u); err != nil {
		t.Fatal(err)
	}
	return ids
}

// Every admin page an administrator can open shows hostile names as text.
func TestHostileNamesInertInAdminPages(t *testing.T) {
	f := newFixture(t, nil)
	ids := addHostile(t, f)
	admin := f.as(t, "admin")
	pages := []string{"/admin/registrations", "/admin/registrations?q=script", "/admin/registrations?q=DROP",
		"/admin/registrations?event=" + slugA, "/admin/users", "/admin/users?q=img", "/admin/audit"}
	for _, id := range ids {
		pages = append(pages, "/admin/registrations/"+itoa(id))
	}
	must := len(pages) // these must open; pages from the table may not apply to the ids
	// Every GET page of the staff areas, whoever owns it, about event A and
	// the first hostile registration.
	for _, rt := range f.srv.Routes() {
		if rt.Method == http.MethodGet && !strings.Contains(rt.Path, "*") &&
			(rt.Access == web.Coordinator || rt.Access == web.Admin || rt.Access == web.Staff || rt.Access == web.Door) {
			pages = append(pages, strings.ReplaceAll(concrete(rt.Path), "999999", itoa(ids[0])))
		}
	}
	found := 0
	for i, p := range pages {
		rec := f.do(t, f.srv, admin, http.MethodGet, p, nil)
		if rec.Code != http.StatusOK {
			if i < must {
				t.Errorf("%s: status %d", p, rec.Code)
			}
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			continue // PDFs, CSV and JSON have their own tests in their areas
		}
		body := rec.Body.String()
		for _, raw := range rawHostile {
			if strings.Contains(body, raw) {
				t.Errorf("%s: hostile text %q reached the page unescaped", p, raw)
			}
		}
		if strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(body, "&#34;&gt;&lt;img") {
			found++
		}
		checkNoInline(t, p, body)
	}
	if found < 4 {
		t.Errorf("hostile names shown (escaped) on only %d pages; the test is not looking at them", found)
	}
	var n int
	if err := f.st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE first_name LIKE '%DROP TABLE%'`); err != nil || n != 1 {
		t.Fatalf("the SQL fragment is not stored as text: %d %v", n, err)
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	inlineEvent  = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)
	inlineStyle  = regexp.MustCompile(`<[^>]*\sstyle\s*=`)
	quotedValue  = regexp.MustCompile(`="[^"]*"`)
)

// checkNoInline fails on inline scripts, event handler attributes and style
// attributes: the CSP forbids them, so they would be broken anyway.
func checkNoInline(t *testing.T, page, body string) {
	t.Helper()
	for _, m := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(m, " src=") {
			t.Errorf("%s: inline script %q", page, m)
		}
	}
	// Attribute values are text (escaped); only attribute names matter here.
	body = quotedValue.ReplaceAllString(body, `=""`)
	if inlineEvent.MatchString(body) {
		t.Errorf("%s: inline event handler", page)
	}
	if inlineStyle.MatchString(body) {
		t.Errorf("%s: inline style attribute", page)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range []struct {
		who, path string
	}{{"anonymous", "/signin"}, {"admin", "/admin/"}, {"admin", "/admin/users"}, {"anonymous", "/"}} {
		rec := f.do(t, f.srv, f.as(t, c.who), http.MethodGet, c.path, nil)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'") {
			t.Errorf("%s: CSP %q", c.path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Referrer-Policy": "no-referrer"} {
			if h.Get(k) != want {
				t.Errorf("%s: %s = %q", c.path, k, h.Get(k))
			}
		}
		if strings.HasPrefix(c.path, "/admin") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: staff page may be cached: %q", c.path, h.Get("Cache-Control"))
		}
	}
}

// Over HTTPS the session cookie is Secure, HttpOnly and SameSite; sign-in
// pages and forms carry a CSRF token, and a form without it is refused.
func TestCookiesAndCSRF(t *testing.T) {
	f := newFixture(t, map[string]string{"ATTEND_BASE_URL": "https://attend.example.org"})
	anon := f.as(t, "anonymous")
	rec := f.do(t, f.srv, anon, http.MethodPost, "/signin", map[string][]string{
		"email": {"admin@example.org"}, "password": {staffPassword}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/" {
		t.Fatalf("sign-in: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == auth.SessionCookie {
			sess = c
		}
	}
	if sess == nil || !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" {
		t.Fatalf("session cookie %+v", sess)
	}
	if sess.MaxAge <= 0 || time.Duration(sess.MaxAge)*time.Second > auth.SessionTTL {
		t.Errorf("session cookie lifetime %d", sess.MaxAge)
	}
	// The sign-in form sets a CSRF cookie that is Secure and HttpOnly too.
	rec = f.do(t, f.srv, caller{}, http.MethodGet, "/signin", nil)
	if !strings.Contains(rec.Body.String(), `name="csrf_token"`) {
		t.Error("sign-in form without CSRF token")
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "attend_csrf" && (!c.Secure || !c.HttpOnly) {
			t.Errorf("csrf cookie %+v", c)
		}
	}
	// A state change without the token is refused, with it accepted.
	admin := f.as(t, "admin")
	noToken := caller{cookie: admin.cookie}
	target := "/admin/users/" + itoa(f.users["doorB"].ID) + "/disable"
	if rec := f.do(t, f.srv, noToken, http.MethodPost, target, map[string][]string{}); rec.Code != http.StatusForbidden {
		t.Fatalf("POST without CSRF token: %d", rec.Code)
	}
	wrong := caller{cookie: admin.cookie, csrf: "c_wrong"}
	if rec := f.do(t, f.srv, wrong, http.MethodPost, target, map[string][]string{}); rec.Code != http.StatusForbidden {
		t.Fatalf("POST with a wrong CSRF token: %d", rec.Code)
	}
	if rec := f.do(t, f.srv, admin, http.MethodPost, target, map[string][]string{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST with the token: %d", rec.Code)
	}
}

// The sign-in page works in each staff language and its language links
// lead back to it; staff pages switch language through /xx/admin/....
func TestStaffLanguageSwitch(t *testing.T) {
	f := newFixture(t, nil)
	for lang, word := range map[string]string{"lv": "Pieteikties", "en": "Sign in", "ru": "Вход"} {
		rec := f.do(t, f.srv, caller{}, http.MethodGet, "/"+lang+"/signin", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/signin" {
			t.Fatalf("/%s/signin: %d %q", lang, rec.Code, rec.Header().Get("Location"))
		}
		var langCookie *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == "attend_lang" {
				langCookie = c
			}
		}
		if langCookie == nil || langCookie.Value != lang {
			t.Fatalf("/%s/signin: language cookie %+v", lang, langCookie)
		}
		req := caller{}
		r2 := doWithCookie(t, f, req, "/signin", langCookie)
		if !strings.Contains(r2, word) || !strings.Contains(r2, `href="/`+lang+`/signin"`) {
			t.Errorf("%s sign-in page lacks %q", lang, word)
		}
	}
	admin := f.as(t, "admin")
	rec := f.do(t, f.srv, admin, http.MethodGet, "/ru/admin/users", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users" {
		t.Fatalf("/ru/admin/users: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// The language links of every staff page lead somewhere.
	for _, rt := range f.srv.Routes() {
		switch rt.Access {
		case web.Door, web.Partner, web.Coordinator, web.Admin, web.Staff:
		default:
			continue
		}
		if rt.Method != http.MethodGet || strings.Contains(rt.Path, ":") || strings.Contains(rt.Path, "*") {
			continue
		}
		rec := f.do(t, f.srv, admin, http.MethodGet, "/lv"+rt.Path, nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != rt.Path {
			t.Errorf("language link /lv%s: %d %q", rt.Path, rec.Code, rec.Header().Get("Location"))
		}
	}
	// An outside target is never produced.
	rec = f.do(t, f.srv, admin, http.MethodGet, "/ru/admin//evil.example", nil)
	if loc := rec.Header().Get("Location"); strings.HasPrefix(loc, "//") {
		t.Fatalf("open redirect to %q", loc)
	}
	rec = f.do(t, f.srv, caller{}, http.MethodGet, "/signin?next=//evil.example/x", nil)
	if strings.Contains(rec.Body.String(), "evil.example") {
		t.Fatal("next= kept an outside address")
	}
}

func doWithCookie(t *testing.T, f *fixture, c caller, path string, extra *http.Cookie) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(extra)
	rec := newRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

// Signing in without a target lands each role on its own home.
func TestSignInLandsOnRoleHome(t *testing.T) {
	f := newFixture(t, nil)
	for email, want := range map[string]string{"admin@example.org": "/admin/", "coord@example.org": "/admin/",
		"partner@example.org": "/partner/", "door-a@example.org": "/door/scan"} {
		rec := f.do(t, f.srv, f.as(t, "anonymous"), http.MethodPost, "/signin", map[string][]string{
			"email": {email}, "password": {staffPassword}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("%s: %d %q, want %q", email, rec.Code, rec.Header().Get("Location"), want)
		}
	}
}

package web_test

import (
	"net/http"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/web"
)

// principals every route is called as.
var principals = []string{"anonymous", "doorA", "doorB", "partner", "coordinator", "admin",
	"token-scan", "token-report", "token-admin"}

// allowed is the access matrix, written out independently of access.go: who
// gets past the guard of a route with each access level. Door staff of event
// B are also refused (by the handler) on routes about event A.
var allowed = map[web.Access][]string{
	web.Anyone:      principals,
	web.AnyoneAPI:   principals,
	web.Ops:         principals,
	web.Door:        {"doorA", "doorB", "coordinator", "admin"},
	web.Partner:     {"partner", "coordinator", "admin"},
	web.Coordinator: {"coordinator", "admin"},
	web.Admin:       {"admin"},
	web.Staff:       {"doorA", "doorB", "partner", "coordinator", "admin"},
	web.ScanAPI:     {"doorA", "doorB", "coordinator", "admin", "token-scan"},
	web.PartnerAPI:  {"partner", "coordinator", "admin"},
	web.ReportAPI:   {"coordinator", "admin", "token-report", "token-admin"},
	web.AdminAPI:    {"admin", "token-admin"},
}

// handlerRefuses lists routes whose handler, past the guard, legitimately
// refuses some callers who passed it (a page only for some roles).
var handlerRefuses = map[string][]string{
	"GET /account/totp":  {"doorA", "doorB", "partner", "coordinator"},
	"POST /account/totp": {"doorA", "doorB", "partner", "coordinator"},
}

// concrete fills a route's parameters: the demo's event A, ids that do not
// exist (the guard decides before any lookup), a language.
func concrete(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case p == ":lang":
			parts[i] = "en"
		case p == ":slug":
			parts[i] = slugA
		case strings.HasPrefix(p, "*"):
			parts[i] = "x"
		case strings.HasPrefix(p, ":"):
			parts[i] = "999999"
		}
	}
	return strings.Join(parts, "/")
}

// refused reports whether the answer is the guard's no: 401, 403, or a
// redirect to the sign-in page.
func refused(code int, location string) bool {
	return code == http.StatusUnauthorized || code == http.StatusForbidden ||
		(code == http.StatusSeeOther && strings.HasPrefix(location, "/signin?next="))
}

// hidden reports whether the answer is the object rule's no: the guard's, or
// not found (an object of another project or event does not exist to them).
func hidden(code int, location string) bool {
	return refused(code, location) || code == http.StatusNotFound
}

func ownHandler(h any) bool {
	name := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	return strings.Contains(name, "/web/admin.") || strings.Contains(name, "/web/signin.")
}

func TestRouteAccessMatrix(t *testing.T) {
	f := newFixture(t, nil)
	routes := f.srv.Routes()
	if len(routes) < 50 {
		t.Fatalf("only %d routes in the table", len(routes))
	}
	for _, rt := range routes {
		who, ok := allowed[rt.Access]
		if !ok {
			// A new route without a declared role (Access 0 fails web.New) or
			// with a level this matrix does not know yet.
			t.Errorf("%s %s: access level %q has no row in the matrix", rt.Method, rt.Path, rt.Access)
			continue
		}
		if rt.Path == "/metrics" || strings.HasPrefix(rt.Path, "/assets/") {
			continue
		}
		target := concrete(rt.Path)
		for _, p := range principals {
			want := contains(who, p) && !contains(handlerRefuses[rt.Method+" "+rt.Path], p)
			// Door staff of event B work event B only.
			if p == "doorB" && strings.Contains(rt.Path, ":slug") && (rt.Access == web.Door || rt.Access == web.ScanAPI) {
				want = false
			}
			rec := f.do(t, f.srv, f.as(t, p), rt.Method, target, formFor(rt.Method))
			got := !refused(rec.Code, rec.Header().Get("Location"))
			if p == "doorB" && !want {
				got = !hidden(rec.Code, rec.Header().Get("Location"))
			}
			if got != want {
				t.Errorf("%s %s (%s) as %s: status %d (location %q), want allowed=%v",
					rt.Method, target, rt.Access, p, rec.Code, rec.Header().Get("Location"), want)
			}
			if want && rec.Code >= 500 && ownHandler(rt.Handler) {
				t.Errorf("%s %s as %s: status %d", rt.Method, target, p, rec.Code)
			}
			if p == "anonymous" && !want && rt.Method == http.MethodGet && !rt.Access.IsAPI() &&
				rec.Code != http.StatusSeeOther {
				t.Errorf("%s %s: anonymous visitor got %d, want a redirect to sign in", rt.Method, target, rec.Code)
			}
		}
	}
}

func formFor(method string) map[string][]string {
	if method == http.MethodGet {
		return nil
	}
	return map[string][]string{}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every access level used by the table has a row in the matrix, and none is zero.
func TestEveryRouteDeclaresAccess(t *testing.T) {
	f := newFixture(t, nil)
	seen := map[string]bool{}
	for _, rt := range f.srv.Routes() {
		if rt.Access == 0 {
			t.Errorf("%s %s declares no access level", rt.Method, rt.Path)
		}
		if _, ok := allowed[rt.Access]; !ok {
			t.Errorf("%s %s: access %d is not in the matrix", rt.Method, rt.Path, rt.Access)
		}
		key := rt.Method + " " + rt.Path
		if seen[key] {
			t.Errorf("%s appears twice", key)
		}
		seen[key] = true
	}
}

// A session started through one instance is valid on another sharing the database.
func TestSessionSharedAcrossInstances(t *testing.T) {
	f := newFixture(t, nil)
	other := f.newServer(t)
	form := map[string][]string{"email": {"coord@example.org"}, "password": {staffPassword}}
	anon := f.as(t, "anonymous")
	rec := f.do(t, f.srv, anon, http.MethodPost, "/signin", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: status %d: %s", rec.Code, rec.Body.String())
	}
	var cookie string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "attend_session" {
			cookie = c.Value
		}
	}
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	rec = f.do(t, other, caller{cookie: cookie}, http.MethodGet, "/admin/", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Cora Coordinator") && !strings.Contains(rec.Body.String(), "/signout") {
		t.Fatalf("second instance: status %d", rec.Code)
	}
	// Signing out on the second instance ends it on the first.
	sess, err := f.st.SessionByHash(t.Context(), f.st.DB, hashOf(cookie))
	if err != nil {
		t.Fatal(err)
	}
	rec = f.do(t, other, caller{cookie: cookie, csrf: sess.CSRFToken}, http.MethodPost, "/signout", map[string][]string{})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", rec.Code)
	}
	rec = f.do(t, f.srv, caller{cookie: cookie}, http.MethodGet, "/admin/", nil)
	if !refused(rec.Code, rec.Header().Get("Location")) {
		t.Fatalf("after sign-out the first instance still answers %d", rec.Code)
	}
}

// A revoked device token, a revoked user token and a disabled user's token
// stop working at once; a bad token is 401 and a token without the right 403.
func TestTokenRevocationImmediate(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	scan := caller{bearer: f.tokens["scan"]}
	if rec := f.do(t, f.srv, scan, http.MethodGet, "/api/v1/door/counts", nil); refused(rec.Code, "") {
		t.Fatalf("live device token refused: %d", rec.Code)
	}
	if probe := adminProbe(f); probe != "" {
		if rec := f.do(t, f.srv, scan, http.MethodGet, probe, nil); rec.Code != http.StatusForbidden {
			t.Errorf("scan token on a report route: %d, want 403", rec.Code)
		}
	}
	if err := f.st.RevokeDevice(ctx, f.st.DB, f.deviceA.ID); err != nil {
		t.Fatal(err)
	}
	if rec := f.do(t, f.srv, scan, http.MethodGet, "/api/v1/door/counts", nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked device token: status %d, want 401", rec.Code)
	}
	bad := caller{bearer: "att_nosuchtoken"}
	if rec := f.do(t, f.srv, bad, http.MethodGet, "/api/v1/door/counts", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("bad token: %d, want 401", rec.Code)
	}

	// The admin's token on an admin route, then revoked through the admin screen.
	adminTok := caller{bearer: f.tokens["admin"]}
	toks, err := f.st.TokenViews(ctx, f.st.DB, f.users["admin"].ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens: %v %d", err, len(toks))
	}
	probe := adminProbe(f)
	if probe == "" {
		t.Skip("no admin API route in the table yet")
	}
	if rec := f.do(t, f.srv, adminTok, http.MethodGet, probe, nil); refused(rec.Code, "") {
		t.Fatalf("live admin token refused on %s: %d", probe, rec.Code)
	}
	admin := f.as(t, "admin")
	rec := f.do(t, f.srv, admin, http.MethodPost, "/admin/tokens/"+itoa(toks[0].ID)+"/revoke", map[string][]string{})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
	}
	if rec := f.do(t, f.srv, adminTok, http.MethodGet, probe, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked admin token: %d, want 401", rec.Code)
	}
	// Disabling the coordinator stops their report token.
	rep := caller{bearer: f.tokens["report"]}
	rec = f.do(t, f.srv, admin, http.MethodPost, "/admin/users/"+itoa(f.users["coordinator"].ID)+"/disable", map[string][]string{})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d", rec.Code)
	}
	if rec := f.do(t, f.srv, rep, http.MethodGet, probe, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("disabled user's token: %d, want 401", rec.Code)
	}
}

// adminProbe is a GET route a report- or admin-scoped token may call.
func adminProbe(f *fixture) string {
	for _, rt := range f.srv.Routes() {
		if rt.Method == http.MethodGet && (rt.Access == web.ReportAPI || rt.Access == web.AdminAPI) {
			return concrete(rt.Path)
		}
	}
	return ""
}

// The staff menu offers each role only pages it may open, and none is missing.
func TestStaffMenuLinks(t *testing.T) {
	f := newFixture(t, nil)
	href := regexp.MustCompile(`<a href="(/[^"]*)"`)
	for _, who := range []string{"coordinator", "admin", "partner", "doorA"} {
		c := f.as(t, who)
		rec := f.do(t, f.srv, c, http.MethodGet, "/account", nil)
		body := rec.Body.String()
		start, end := strings.Index(body, `<nav class="staff"`), strings.Index(body, `</nav>`+"\n"+`</header>`)
		if rec.Code != http.StatusOK || start < 0 {
			t.Fatalf("%s: /account %d, no staff menu", who, rec.Code)
		}
		if end < start {
			end = len(body)
		}
		links := href.FindAllStringSubmatch(body[start:end], -1)
		if len(links) < 2 {
			t.Fatalf("%s: %d menu links", who, len(links))
		}
		for _, m := range links {
			rec := f.do(t, f.srv, c, http.MethodGet, m[1], nil)
			if rec.Code == http.StatusForbidden || rec.Code == http.StatusNotFound || rec.Code >= 500 {
				t.Errorf("%s: menu link %s answers %d", who, m[1], rec.Code)
			}
		}
	}
}

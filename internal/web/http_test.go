package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
)

// send makes one request over the real listener (net/http drops HEAD
// bodies there, as in production) without following redirects.
func (f *fixture) send(t *testing.T, c caller, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.app.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c.cookie})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	req.Header.Set("Accept-Language", "en")
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// headersCompared must agree between GET and HEAD.
var headersCompared = []string{"Content-Type", "Content-Disposition", "Location", "Cache-Control",
	"Content-Language", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"}

// TestHeadLikeGet walks every GET route of the table with HEAD, signed out
// and signed in: the same status and headers as GET, and no body.
func TestHeadLikeGet(t *testing.T) {
	f := newFixture(t, nil)
	n := 0
	for _, who := range []string{"anonymous", "admin", "token-scan"} {
		c := f.as(t, who)
		for _, rt := range f.srv.Routes() {
			if rt.Method != http.MethodGet || rt.Path == "/metrics" {
				continue
			}
			target := concrete(rt.Path)
			if strings.HasPrefix(rt.Path, "/assets/") {
				target = "/assets/0/css/app.css" // a stale hash: served, or redirected to the current one
			}
			get, _ := f.send(t, c, http.MethodGet, target)
			head, body := f.send(t, c, http.MethodHead, target)
			n++
			if head.StatusCode != get.StatusCode {
				t.Errorf("HEAD %s as %s: %d, GET %d", target, who, head.StatusCode, get.StatusCode)
				continue
			}
			if len(body) != 0 {
				t.Errorf("HEAD %s as %s: %d bytes of body", target, who, len(body))
			}
			for _, k := range headersCompared {
				if g, h := get.Header.Get(k), head.Header.Get(k); g != h {
					t.Errorf("HEAD %s as %s: %s %q, GET %q", target, who, k, h, g)
				}
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d HEAD requests", n)
	}
}

// TestRedirectsCarrySecurityHeaders: a redirect is a page too, whether a
// handler or the router (trailing slash) answers it.
func TestRedirectsCarrySecurityHeaders(t *testing.T) {
	f := newFixture(t, nil)
	anon := f.as(t, "anonymous")
	for _, path := range []string{"/admin/", "/admin", "/en", "/en/admin/events", "/partner/", "/door/live"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp, _ := f.send(t, anon, method, path)
			if resp.StatusCode < 300 || resp.StatusCode > 399 || resp.Header.Get("Location") == "" {
				t.Errorf("%s %s: %d, want a redirect", method, path, resp.StatusCode)
				continue
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
				"Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin"} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s %s -> %s: %s = %q", method, path, resp.Header.Get("Location"), k, got)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s %s: CSP %q", method, path, csp)
			}
		}
	}
}

// TestHeadReadsNothing: a HEAD of a personal-data download runs the GET
// handler for its status and headers, sends no body and so records no read in
// the audit log; the GET does.
func TestHeadReadsNothing(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.as(t, "admin")
	entries := func() int {
		var n int
		if err := f.st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action LIKE 'export.%'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, path := range []string{"/admin/reports/events/" + slugA + "/participants", "/admin/reports/events/" + slugA + "/lists.pdf"} {
		before := entries()
		if resp, body := f.send(t, admin, http.MethodHead, path); resp.StatusCode != http.StatusOK || len(body) != 0 {
			t.Fatalf("HEAD %s: %d, %d bytes", path, resp.StatusCode, len(body))
		}
		if n := entries(); n != before {
			t.Errorf("HEAD %s recorded %d export entries", path, n-before)
		}
		if resp, body := f.send(t, admin, http.MethodGet, path); resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if n := entries(); n != before+1 {
			t.Errorf("GET %s recorded %d export entries, want 1", path, n-before)
		}
	}
}

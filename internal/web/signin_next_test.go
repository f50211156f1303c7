package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// After a right password, a next= that a browser would resolve to another
// site (TAB, CR and LF are dropped, "\" is read as "/") falls back to the
// role's home page; so does the sign-in page of a signed-in user.
func TestSigninHostileNext(t *testing.T) {
	f := newFixture(t, nil)
	const home = "/door/scan" // a door user's landing page
	for _, next := range []string{
		"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "/\t\\evil.example", "\t//evil.example",
		"//evil.example", "/\\evil.example", "\\\\evil.example", "http://evil.example/", "javascript:alert(1)",
		"/%09/evil.example", "/%2F/evil.example", "/%5Cevil.example",
	} {
		rec := f.doFrom(t, caller{csrf: strings.Repeat("n", 32)}, "198.51.100.90:1", "/signin", url.Values{
			"email": {"door-a@example.org"}, "password": {staffPassword}, "next": {next}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != home {
			t.Errorf("sign-in with next=%q: %d to %q, want %s", next, rec.Code, rec.Header().Get("Location"), home)
			continue
		}
		signedIn := caller{cookie: sessionCookie(rec)}
		rec = f.do(t, f.srv, signedIn, http.MethodGet, "/signin?next="+url.QueryEscape(next), nil)
		if rec.Header().Get("Location") != home {
			t.Errorf("signed-in sign-in page with next=%q: to %q", next, rec.Header().Get("Location"))
		}
		rec = f.do(t, f.srv, f.as(t, "anonymous"), http.MethodGet, "/signin?next="+url.QueryEscape(next), nil)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "evil.example") {
			t.Errorf("sign-in form with next=%q: %d, kept the target", next, rec.Code)
		}
	}
	// A same-site target still works.
	rec := f.doFrom(t, caller{csrf: strings.Repeat("n", 32)}, "198.51.100.90:1", "/signin", url.Values{
		"email": {"door-a@example.org"}, "password": {staffPassword}, "next": {"/door/live"}})
	if rec.Header().Get("Location") != "/door/live" {
		t.Fatalf("same-site next: %q", rec.Header().Get("Location"))
	}
}

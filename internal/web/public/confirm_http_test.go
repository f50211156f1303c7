package public_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Mail security scanners open (GET, HEAD) the links of incoming messages. The
// confirmation link must therefore only show a page whose button confirms:
// a scanner, which neither holds the page's CSRF cookie nor presses buttons,
// confirms nobody.
func TestConfirmLinkOnlyShowsAButton(t *testing.T) {
	e := newEnv(t, nil)
	slug := e.f.Event.Slug
	if resp, _ := e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("scanned@example.org")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	link := confirmationLink(t, e.st, "scanned@example.org")
	state := func() (status string, tickets, mails int) {
		t.Helper()
		status = "none"
		e.st.DB.QueryRow(`SELECT status FROM registrations WHERE email = 'scanned@example.org'`).Scan(&status)
		tickets = e.count(t, `SELECT count(*) FROM tickets`)
		mails = e.count(t, `SELECT count(*) FROM outbox`)
		return
	}
	before, t0, m0 := state()
	if before != "pending_confirmation" {
		t.Fatalf("before: %s", before)
	}

	// The scanner: fresh clients, no cookies, every safe method, twice.
	scanner := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var page string
	for range 2 {
		for _, m := range []string{http.MethodGet, http.MethodHead} {
			req, _ := http.NewRequest(m, e.srv.URL+link, nil)
			resp, err := scanner.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if m == http.MethodGet {
				page = string(b)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", link, resp.StatusCode)
				}
			}
		}
	}
	if s, tk, ml := state(); s != before || tk != t0 || ml != m0 {
		t.Fatalf("opening the link changed the registration: %s, tickets %d→%d, e-mails %d→%d", s, t0, tk, m0, ml)
	}
	for _, want := range []string{"Confirm your registration", `<form method="post" action="` + link + `"`,
		`name="csrf_token"`, `<button type="submit">Confirm my registration</button>`} {
		if !strings.Contains(page, want) {
			t.Errorf("link page lacks %q", want)
		}
	}
	// A post without the page's CSRF token (a scanner submitting forms, or
	// another site) is refused too.
	resp, err := scanner.PostForm(e.srv.URL+link, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("post without CSRF token: %d", resp.StatusCode)
	}
	if s, _, _ := state(); s != before {
		t.Fatalf("a forged post confirmed: %s", s)
	}

	// The person presses the button: confirmed, ticket sent; the link keeps
	// showing the outcome, and pressing again changes nothing.
	_, page = e.confirm(t, link)
	if !strings.Contains(page, "Thank you, you are registered") {
		t.Fatalf("after confirming: %.300s", page)
	}
	s, t1, m1 := state()
	if s != "confirmed" || t1 != t0+1 || m1 <= m0 {
		t.Fatalf("after confirming: %s, tickets %d, e-mails %d→%d", s, t1, m0, m1)
	}
	if resp, _ := e.post(t, "/en/events/"+slug+"/register", link, url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second press: %d", resp.StatusCode)
	}
	if _, t2, m2 := state(); t2 != t1 || m2 != m1 {
		t.Fatalf("second press wrote: tickets %d→%d, e-mails %d→%d", t1, t2, m1, m2)
	}
}

// An expired link opens a page that offers a new link; asking sends one, and
// that one confirms through its own page's button.
func TestExpiredConfirmLinkOffersANewOne(t *testing.T) {
	e := newEnv(t, nil)
	slug := e.f.Event.Slug
	e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("late@example.org"))
	if _, err := e.st.DB.Exec(`UPDATE registrations SET confirm_expires_at = now() - interval '1 hour' WHERE email = 'late@example.org'`); err != nil {
		t.Fatal(err)
	}
	link := confirmationLink(t, e.st, "late@example.org")
	resp, page := e.get(t, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "The link has expired") || !strings.Contains(page, `action="`+link+`/resend"`) {
		t.Fatalf("expired link page: %d %.300s", resp.StatusCode, page)
	}
	// A confirmation posted from a page left open until the link expired
	// leads back to this page.
	resp, _ = e.post(t, link, link, url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != link {
		t.Fatalf("confirming an expired link: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, page = e.post(t, link, link+"/resend", url.Values{})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "New link sent") {
		t.Fatalf("resend: %d", resp.StatusCode)
	}
	fresh := confirmationLink(t, e.st, "late@example.org")
	if fresh == link {
		t.Fatal("no new link")
	}
	if _, page = e.confirm(t, fresh); !strings.Contains(page, "Thank you, you are registered") {
		t.Fatalf("new link: %.300s", page)
	}
}

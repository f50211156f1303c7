package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The language of a signed-in person's screens: their account setting when
// the browser made no choice, the choice (language link, sign-in page) when
// it did; door and partner screens in any of the ten languages, staff screens
// only in those whose catalogue is complete.
func TestAccountLanguageSetting(t *testing.T) {
	f := newFixture(t, nil)
	lang := func(rec interface{ Header() http.Header }) string { return rec.Header().Get("Content-Language") }

	admin := f.as(t, "admin")
	// Polish staff screens are not complete: the setting refuses it, with a field message.
	rec := f.do(t, f.srv, admin, http.MethodPost, "/account/language", url.Values{"language": {"pl"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="account-language-error"`) {
		t.Fatalf("admin choosing pl: %d", rec.Code)
	}
	var saved string
	f.st.DB.Get(&saved, `SELECT language FROM users WHERE id = $1`, f.users["admin"].ID)
	if saved == "pl" {
		t.Fatal("pl was stored for an administrator")
	}
	rec = f.do(t, f.srv, admin, http.MethodPost, "/account/language", url.Values{"language": {"ru"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/ru/account?done=language" {
		t.Fatalf("admin choosing ru: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	f.st.DB.Get(&saved, `SELECT language FROM users WHERE id = $1`, f.users["admin"].ID)
	if saved != "ru" {
		t.Fatalf("stored language %q", saved)
	}
	// Without a choice of the browser, the account setting rules, whatever the
	// browser's Accept-Language says.
	if rec = f.do(t, f.srv, admin, http.MethodGet, "/admin/", nil); lang(rec) != "ru" {
		t.Fatalf("admin dashboard in %q, want ru", lang(rec))
	}
	var audited int
	f.st.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'user.update' AND object_id = $1`, itoa(f.users["admin"].ID))
	if audited != 1 {
		t.Errorf("%d audit entries for the language change, want 1", audited)
	}

	// A partner coordinator may choose Polish; their screens and account page follow.
	partner := f.as(t, "partner")
	if rec = f.do(t, f.srv, partner, http.MethodPost, "/account/language", url.Values{"language": {"pl"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("partner choosing pl: %d %s", rec.Code, rec.Body.String())
	}
	for _, path := range []string{"/partner/", "/account"} {
		rec = f.do(t, f.srv, partner, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK || lang(rec) != "pl" {
			t.Errorf("%s: %d in %q, want pl", path, rec.Code, lang(rec))
		}
	}
	if body := f.do(t, f.srv, partner, http.MethodGet, "/partner/", nil).Body.String(); !strings.Contains(body, "Wyloguj się") {
		t.Error("the partner home is not in Polish")
	}
	// Door staff likewise, on the scanner and live counts.
	door := f.as(t, "doorA")
	if rec = f.do(t, f.srv, door, http.MethodPost, "/account/language", url.Values{"language": {"lt"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("door choosing lt: %d", rec.Code)
	}
	if rec = f.do(t, f.srv, door, http.MethodGet, "/door/live", nil); lang(rec) != "lt" {
		t.Errorf("live counts in %q, want lt", lang(rec))
	}
	// An unknown language is refused.
	if rec = f.do(t, f.srv, door, http.MethodPost, "/account/language", url.Values{"language": {"xx"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown language: %d", rec.Code)
	}
}

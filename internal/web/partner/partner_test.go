package partner_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (cl *client) do(method, path string, form url.Values) (*http.Response, string) {
	cl.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, cl.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func setup(t *testing.T) (*store.Store, regtest.Fixture, string) {
	t.Helper()
	s := webtest.New(t, webtest.Options{SelfBaseURL: true})
	return s.Store, regtest.NewFixture(t, s.Store, "ev-partner", regtest.Ptr(3)), s.URL
}

// signIn makes a user with role (partner users belong to partnerID) and a client with their session.
func signIn(t *testing.T, st *store.Store, base, email, role string, partnerID *int64) *client {
	t.Helper()
	u := store.User{Email: email, Name: "Coordinator " + email, Role: role, PartnerID: partnerID, Language: "en"}
	if err := st.CreateUser(context.Background(), st.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(st, time.Now).StartSession(context.Background(), u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	bu, _ := url.Parse(base)
	jar.SetCookies(bu, []*http.Cookie{{Name: auth.SessionCookie, Value: cookie, Path: "/"}})
	return &client{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func TestDelegationPages(t *testing.T) {
	st, f, base := setup(t)
	kaunas, lodz := f.Partners["kaunas"], f.Partners["lodz"]
	coord := signIn(t, st, base, "coord@kaunas.lt", auth.RolePartner, &kaunas.ID)
	other := signIn(t, st, base, "coord@lodz.pl", auth.RolePartner, &lodz.ID)

	// Anonymous visitors are sent to sign in.
	anon := &client{t: t, base: base, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if resp, _ := anon.do(http.MethodGet, "/partner/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}

	resp, page := coord.do(http.MethodGet, "/partner/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "/partner/events/"+f.Event.Slug+"/delegation") {
		t.Fatalf("home %d", resp.StatusCode)
	}
	form := "/partner/events/" + f.Event.Slug + "/delegation"
	resp, page = coord.do(http.MethodGet, form, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Kaunas City Municipality") {
		t.Fatalf("form %d", resp.StatusCode)
	}
	csrf := csrfRE.FindStringSubmatch(page)[1]
	day1 := f.Event.FirstDay.Format("2006-01-02")
	members := url.Values{
		"csrf_token":    {csrf},
		"m0_first_name": {"Jūratė"}, "m0_last_name": {"Žemaitė"}, "m0_email": {"jurate@kaunas.lt"}, "m0_days": {day1},
		"m1_first_name": {"Rūta"}, "m1_last_name": {"Butkus"},
		"m2_first_name": {"Tomas"}, "m2_last_name": {"Jankauskas"}, "m2_email": {"not-an-address"},
		"m3_first_name": {"Mindaugas"}, "m3_last_name": {"Kazlauskas"}, "m3_email": {"mindaugas@kaunas.lt"},
		"m4_first_name": {"Eglė"}, "m4_last_name": {`<script>alert(1)</script>`},
	}
	// A bad row refuses everything, with the message on that row.
	resp, page = coord.do(http.MethodPost, form, members)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="m2-email-error"`) || !strings.Contains(page, `href="#d-privacy_informed"`) {
		t.Fatalf("invalid delegation %d", resp.StatusCode)
	}
	if !strings.Contains(page, `value="Jūratė"`) || strings.Contains(page, "<script>alert(1)") {
		t.Fatal("typed rows not kept, or markup rendered live")
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM registrations`)
	if n != 0 {
		t.Fatalf("refused delegation stored %d", n)
	}
	members.Set("m2_email", "tomas@kaunas.lt")
	members.Set("privacy_informed", "1")
	resp, _ = coord.do(http.MethodPost, form, members)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delegation: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	resp, page = coord.do(http.MethodGet, loc, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("delegation page %d", resp.StatusCode)
	}
	for _, want := range []string{"Jūratė Žemaitė", "Rūta Butkus", "to the coordinator", "&lt;script&gt;alert(1)&lt;/script&gt;", "Waiting list"} {
		if !strings.Contains(page, want) {
			t.Errorf("delegation page lacks %q", want)
		}
	}
	st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE status = 'confirmed'`)
	if n != 3 {
		t.Fatalf("%d confirmed, want 3 (capacity)", n)
	}
	st.DB.Get(&n, `SELECT count(*) FROM outbox WHERE to_addr = 'coord@kaunas.lt'`)
	if n != 2 {
		t.Fatalf("coordinator got %d messages for the two members without an address, want 2", n)
	}
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'delegation.view'`)
	if n != 1 {
		t.Fatalf("viewing the list was not audited (%d)", n)
	}
	// Another partner's coordinator cannot see it.
	if resp, _ := other.do(http.MethodGet, loc, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other partner: %d", resp.StatusCode)
	}
	// The overview counts the delegation.
	_, page = coord.do(http.MethodGet, "/partner/", nil)
	if !strings.Contains(page, fmt.Sprintf(`href="%s"`, strings.TrimSuffix(loc, "?done=1"))) {
		t.Fatal("overview lacks the delegation")
	}
	// Door staff may not use partner pages.
	door := signIn(t, st, base, "door@example.org", auth.RoleDoor, nil)
	if resp, _ := door.do(http.MethodGet, "/partner/", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("door staff: %d", resp.StatusCode)
	}
}

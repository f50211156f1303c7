package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/decode-attend/attend/internal/store"
)

// An administrator's day: a user is created and invited, given an event with
// hours and a token; an event is edited; the custom rules are validated; the
// audit log is downloaded. Each step leaves its audit line.
func TestAdminScreensFlow(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	admin := f.as(t, "admin")
	post := func(path string, form map[string][]string, want int) string {
		t.Helper()
		rec := f.do(t, f.srv, admin, http.MethodPost, path, form)
		if rec.Code != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, rec.Code, want, rec.Body.String())
		}
		if want == http.StatusSeeOther {
			return rec.Header().Get("Location")
		}
		return rec.Body.String()
	}
	get := func(path string) string {
		t.Helper()
		rec := f.do(t, f.srv, admin, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}

	// An event for a project that does not exist is a form error on the
	// project field, not a database failure.
	if body := post("/admin/events", map[string][]string{"project": {"999999"}, "slug": {"no-such-project"},
		"number": {"9"}, "title_en": {"X"}, "first_day": {"2027-01-10"}, "last_day": {"2027-01-11"}},
		http.StatusUnprocessableEntity); !strings.Contains(body, `class="field has-error"`) {
		t.Fatal("unknown project: no field error")
	}

	// A form error is shown on the form, in the visitor's language.
	body := post("/admin/users", map[string][]string{"email": {"nope"}, "name": {""}, "role": {"door"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Enter a valid e-mail address.") || !strings.Contains(body, `class="field has-error"`) {
		t.Fatal("validation messages missing")
	}
	loc := post("/admin/users", map[string][]string{"email": {"new.door@example.org"}, "name": {"New Door"},
		"role": {"door"}, "language": {"ru"}}, http.StatusSeeOther)
	if !strings.Contains(loc, "done=created_invited") {
		t.Fatalf("after create: %s", loc)
	}
	u, err := f.st.UserByEmail(ctx, f.st.DB, "new.door@example.org")
	if err != nil || u.PasswordHash == "" {
		t.Fatalf("user: %+v %v", u, err)
	}
	var subject string
	if err := f.st.DB.GetContext(ctx, &subject, `SELECT subject FROM outbox WHERE user_id = $1 AND kind = 'password_reset'`, u.ID); err != nil || !strings.Contains(subject, "DeCoDe") {
		t.Fatalf("invitation mail: %q %v", subject, err)
	}
	userPath := "/admin/users/" + itoa(u.ID)
	post(userPath+"/grants", map[string][]string{"event": {slugA}, "valid_from": {"2030-01-01T08:00"},
		"valid_until": {"2030-01-01T07:00"}}, http.StatusUnprocessableEntity)
	post(userPath+"/grants", map[string][]string{"event": {slugA}, "valid_from": {"2030-01-01T08:00"},
		"valid_until": {"2030-01-01T18:00"}}, http.StatusSeeOther)
	gs, err := f.st.GrantViews(ctx, f.st.DB, u.ID)
	if err != nil || len(gs) != 1 || gs[0].ValidFrom == nil || gs[0].ValidFrom.UTC().Hour() != 7 { // Warsaw is UTC+1 in January
		t.Fatalf("grant: %+v %v", gs, err)
	}
	post(userPath+"/tokens", map[string][]string{"scopes": {"admin"}}, http.StatusUnprocessableEntity)
	body = post(userPath+"/tokens", map[string][]string{"scopes": {"scan"}, "label": {"phone"}}, http.StatusCreated)
	i := strings.Index(body, `value="att_`)
	if i < 0 {
		t.Fatal("new token not shown")
	}
	plain := body[i+len(`value="`) : i+len(`value="`)+36]
	if again := get(userPath); strings.Contains(again, plain) {
		t.Fatal("the token is shown a second time")
	}
	if _, err := f.auth.Bearer(ctx, plain); err != nil {
		t.Fatalf("issued token does not work: %v", err)
	}

	// Events: edit, quick controls, refusal below confirmed seats.
	form := map[string][]string{"slug": {slugA}, "number": {"4"}, "title_en": {"Renamed"}, "city": {"Lodz"},
		"country": {"PL"}, "first_day": {f.eventA.FirstDay.Format("2006-01-02")}, "last_day": {f.eventA.LastDay.Format("2006-01-02")},
		"time_zone": {"Europe/Warsaw"}, "capacity": {"500"}, "registration_state": {"open"}}
	// Opening needs a host partner (the set-up checklist): refused with the
	// message on the page, then saved with one.
	if body := post("/admin/events/"+slugA, form, http.StatusUnprocessableEntity); !strings.Contains(body, "choose the host partner first") {
		t.Fatal("opening without a host partner not explained")
	}
	var host int64
	if err := f.st.DB.GetContext(ctx, &host, `SELECT id FROM partners WHERE project_id = $1 ORDER BY position LIMIT 1`, f.eventA.ProjectID); err != nil {
		t.Fatal(err)
	}
	form["host_partner"] = []string{itoa(host)}
	post("/admin/events/"+slugA, form, http.StatusSeeOther)
	if e, _ := f.st.EventBySlug(ctx, f.st.DB, slugA); e.Title["en"] != "Renamed" || *e.Capacity != 500 || e.RegistrationState != "open" {
		t.Fatalf("event not saved: %+v", e)
	}
	body = post("/admin/events/"+slugA+"/registration", map[string][]string{"capacity": {"1"}, "registration_state": {"closed"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "More places are already confirmed") {
		t.Fatal("capacity error not explained")
	}

	// Rule sets: a bad threshold explained, good ones saved; funder's sets
	// read-only; a preset copied into a project.
	rsPath := "/admin/rulesets/custom"
	body = post(rsPath, map[string][]string{"name_en": {"Custom"}, "t_event_min_invited_share": {"30"}, "countries": {"LV"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Shares are fractions from 0 to 1") {
		t.Fatal("threshold error not explained")
	}
	post(rsPath, map[string][]string{"name_en": {"Custom"}, "t_project_min_events": {"5"}, "countries": {"LV LT"},
		"lump_basis": {"eligible"}, "lump_sum": {"25-50 1-4 5000"}}, http.StatusSeeOther)
	if custom, _ := f.st.RuleSetByCode(ctx, f.st.DB, "custom"); !strings.Contains(string(custom.Rules), `"min_events"`) || !custom.HasLumpSum() {
		t.Fatalf("rule set not saved: %s %s", custom.Rules, custom.LumpSum)
	}
	post("/admin/rulesets/efc-not", map[string][]string{"name_en": {"x"}, "countries": {"LV"}}, http.StatusForbidden)
	post("/admin/rulesets/cerv-tt/copy", map[string][]string{"copy_code": {"decode-cerv"}, "copy_project": {"decode"}}, http.StatusSeeOther)
	if cp, err := f.st.RuleSetByCode(ctx, f.st.DB, "decode-cerv"); err != nil || cp.ProjectID == nil || !cp.Editable {
		t.Fatalf("copy: %+v %v", cp, err)
	}
	if !strings.Contains(get("/admin/rulesets/decode-cerv"), "CERV 2021-2027, Town-Twinning") {
		t.Fatal("copy's page does not show its name")
	}

	// Registrations: search, edit, cancel.
	rows, _, err := f.st.RegistrationRows(ctx, f.st.DB, store.RegistrationFilter{EventID: f.eventA.ID, Status: "confirmed", Limit: 1})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows: %v", err)
	}
	regPath := "/admin/registrations/" + itoa(rows[0].ID)
	if !strings.Contains(get("/admin/registrations?q="+rows[0].LastName), regPath) {
		t.Fatal("search does not find the registration")
	}
	// Registrations made through the public form carry a private-link nonce
	// (the demo generator's do not yet); messages about a change include the link.
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE registrations SET manage_nonce = decode(md5(random()::text), 'hex') WHERE id = $1`, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	r, _ := f.st.Registration(ctx, f.st.DB, rows[0].ID)
	edit := map[string][]string{"first_name": {"Edited"}, "last_name": {r.LastName}, "country": {r.Country},
		"city": {r.City}, "organisation": {r.Organisation}, "participation": {string(r.Participation)}, "phone": {r.Phone}}
	if r.PartnerID != nil {
		edit["partner"] = []string{itoa(*r.PartnerID)}
	}
	post(regPath, edit, http.StatusSeeOther)
	if r2, _ := f.st.Registration(ctx, f.st.DB, r.ID); r2.FirstName != "Edited" {
		t.Fatalf("details not saved: %q", r2.FirstName)
	}
	post(regPath+"/cancel", map[string][]string{}, http.StatusSeeOther)
	if r2, _ := f.st.Registration(ctx, f.st.DB, r.ID); r2.Status != "cancelled" {
		t.Fatalf("not cancelled: %q", r2.Status)
	}

	// Coordinators cannot open administrator screens.
	coord := f.as(t, "coordinator")
	if rec := f.do(t, f.srv, coord, http.MethodGet, "/admin/users", nil); rec.Code != http.StatusForbidden {
		t.Fatalf("coordinator on users: %d", rec.Code)
	}

	// The audit log: filtered page, CSV download, and the download's own line.
	if !strings.Contains(get("/admin/audit?action=user."), "user.grant_event") {
		t.Fatal("audit page lacks the grant")
	}
	rec := f.do(t, f.srv, admin, http.MethodGet, "/admin/audit.csv?action=token.", nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") || !strings.Contains(rec.Body.String(), "token.create") {
		t.Fatalf("csv: %d %q", rec.Code, rec.Body.String())
	}
	for _, action := range []string{"user.create", "user.grant_event", "token.create", "event.update", "ruleset.update",
		"registration.change_details", "export.audit_log", "auth.reset_requested"} {
		var n int
		if err := f.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor = $2`,
			action, "user:"+itoa(f.users["admin"].ID)); err != nil || n == 0 {
			t.Errorf("no audit line %s by the admin (%v)", action, err)
		}
	}
}

// Sign-in through the pages: wrong password, throttling message, success.
func TestSigninPages(t *testing.T) {
	f := newFixture(t, nil)
	anon := f.as(t, "anonymous")
	try := func(pw string) (int, string) {
		rec := f.do(t, f.srv, anon, http.MethodPost, "/signin", map[string][]string{"email": {"door-a@example.org"},
			"password": {pw}, "next": {"/door/live"}})
		return rec.Code, rec.Body.String()
	}
	code, body := try("wrong")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "The e-mail or password is not right.") ||
		!strings.Contains(body, `value="door-a@example.org"`) {
		t.Fatalf("wrong password: %d", code)
	}
	for range 3 {
		try("wrong")
	}
	code, body = try("wrong")
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("throttled: %d", code)
	}
	rec := f.do(t, f.srv, caller{csrf: strings.Repeat("c", 32)}, http.MethodPost, "/signin",
		map[string][]string{"email": {"door-a@example.org"}, "password": {staffPassword}, "next": {"/door/live"}})
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("right password from the throttled address: %d", rec.Code)
	}
	// The account itself is not locked: from another address it works.
	req := caller{csrf: strings.Repeat("d", 32)}
	rec = f.doFrom(t, req, "198.51.100.77:5555", "/signin", map[string][]string{"email": {"door-a@example.org"},
		"password": {staffPassword}, "next": {"/door/live"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/door/live" {
		t.Fatalf("owner elsewhere: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = f.do(t, f.srv, anon, http.MethodPost, "/signin", map[string][]string{"email": {"x@example.org"},
		"password": {"y"}, "next": {"https://evil.example/"}})
	if strings.Contains(rec.Body.String(), "evil.example") {
		t.Fatal("outside next kept")
	}
}

// An administrator with a second factor: password, then code, then a new session.
func TestTOTPSigninPages(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	if err := f.st.SetTOTPSecret(ctx, f.st.DB, f.users["admin"].ID, secret); err != nil {
		t.Fatal(err)
	}
	csrf := strings.Repeat("e", 32)
	send := func(method, target, cookie string, form url.Values) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req := httptest.NewRequest(method, target, body)
		req.RemoteAddr = "192.0.2.44:1"
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.AddCookie(&http.Cookie{Name: "attend_csrf", Value: csrf})
		req.Header.Set("X-CSRF-Token", csrf)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "attend_session", Value: cookie})
		}
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	rec := send(http.MethodPost, "/signin", "", url.Values{"email": {"admin@example.org"}, "password": {staffPassword}, "next": {"/admin/users"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/signin/code") {
		t.Fatalf("password step: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	half := sessionCookie(rec)
	if r := send(http.MethodGet, "/admin/users", half, nil); r.Code != http.StatusSeeOther {
		t.Fatalf("half-signed-in session opened an admin page: %d", r.Code)
	}
	if r := send(http.MethodGet, "/signin/code?next=%2Fadmin%2Fusers", half, nil); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `autocomplete="one-time-code"`) {
		t.Fatalf("code form: %d", r.Code)
	}
	if r := send(http.MethodPost, "/signin/code", half, url.Values{"code": {"000000"}}); r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d", r.Code)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec = send(http.MethodPost, "/signin/code", half, url.Values{"code": {code}, "next": {"/admin/users"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users" {
		t.Fatalf("code step: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	full := sessionCookie(rec)
	if full == "" || full == half {
		t.Fatal("the session was not replaced")
	}
	if r := send(http.MethodGet, "/admin/users", full, nil); r.Code != http.StatusOK {
		t.Fatalf("full session: %d", r.Code)
	}
}

func sessionCookie(rec *httptest.ResponseRecorder) string {
	for _, c := range rec.Result().Cookies() {
		if c.Name == "attend_session" {
			return c.Value
		}
	}
	return ""
}

// A coordinator of another project sees none of DeCoDe's events or people.
func TestCoordinatorProjectScope(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	other := store.Project{Code: "other", Title: store.Texts{"en": "Other network"}}
	if err := f.st.CreateProject(ctx, f.st.DB, &other); err != nil {
		t.Fatal(err)
	}
	u := store.User{Email: "other@example.org", Name: "Otto", Role: "coordinator", ProjectID: &other.ID}
	if err := f.st.CreateUser(ctx, f.st.DB, &u); err != nil {
		t.Fatal(err)
	}
	f.users["otherCoordinator"] = u
	c := f.as(t, "otherCoordinator")
	rows, _, _ := f.st.RegistrationRows(ctx, f.st.DB, store.RegistrationFilter{EventID: f.eventA.ID, Limit: 1})
	for path, want := range map[string]int{
		"/admin/events/" + slugA:                   http.StatusNotFound,
		"/admin/registrations/" + itoa(rows[0].ID): http.StatusNotFound,
		"/admin/events":                            http.StatusOK,
		"/admin/registrations?event=" + slugA:      http.StatusOK,
	} {
		rec := f.do(t, f.srv, c, http.MethodGet, path, nil)
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
		if rec.Code == http.StatusOK && (strings.Contains(rec.Body.String(), slugA) || strings.Contains(rec.Body.String(), rows[0].LastName)) {
			t.Errorf("%s shows another project's data", path)
		}
	}
	rec := f.do(t, f.srv, c, http.MethodPost, "/admin/events/"+slugA+"/registration",
		map[string][]string{"capacity": {"1000"}, "registration_state": {"closed"}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("changed another project's event: %d", rec.Code)
	}
}

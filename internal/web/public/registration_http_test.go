package public_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/registration/regtest"
)

func TestRegistrationThroughTheForm(t *testing.T) {
	e := newEnv(t, regtest.Ptr(1))
	slug := e.f.Event.Slug

	resp, page := e.get(t, "/en/events/"+slug)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Final conference") || !strings.Contains(page, "openstreetmap.org/search") {
		t.Fatalf("event page %d", resp.StatusCode)
	}
	resp, page = e.get(t, "/lv/events/"+slug+"/register")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Noslēguma konference") || !strings.Contains(page, `name="website"`) {
		t.Fatalf("form %d", resp.StatusCode)
	}
	// Latvian country names from CLDR, current, and sorted the Latvian way (Č between C and D).
	for _, want := range []string{`<option value="LV">Latvija</option>`, `<option value="MK">Ziemeļmaķedonija</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("Latvian form lacks %q", want)
		}
	}
	ca, cz, dk := strings.Index(page, `value="CF">`), strings.Index(page, `value="CZ">Čehija<`), strings.Index(page, `value="DK">Dānija<`)
	if ca < 0 || cz < 0 || dk < 0 || !(ca < cz && cz < dk) {
		t.Errorf("Latvian country order: CF at %d, CZ at %d, DK at %d", ca, cz, dk)
	}
	// The language select names each language in itself, whatever the page's language.
	for _, want := range []string{`>Latviešu</option>`, `lang="ru">Русский<`, `lang="da">Dansk<`} {
		if !strings.Contains(page, want) {
			t.Errorf("Latvian form's language select lacks %q", want)
		}
	}
	_, enPage := e.get(t, "/en/events/"+slug+"/register")
	for _, want := range []string{">North Macedonia<", ">Eswatini<", ">Czechia<", ">Türkiye<"} {
		if !strings.Contains(enPage, want) {
			t.Errorf("English form lacks %q", want)
		}
	}

	// Errors: every field keeps its value, messages sit next to the fields and in a summary.
	bad := e.validForm("not-an-email")
	bad.Set("first_name", "")
	bad.Set("organisation", `"><img src=x onerror=alert(1)>`)
	bad.Del("privacy_notice_accepted")
	resp, page = e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`role="alert"`, `href="#f-first_name"`, `href="#f-email"`, `href="#f-privacy"`,
		`id="f-email" name="email" value="not-an-email"`, `aria-invalid="true" aria-describedby="f-first_name-error"`,
		"Enter a valid e-mail address", `value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"`, "There are 3 problems",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("invalid form page lacks %q", want)
		}
	}
	if strings.Contains(page, `<img src=x`) {
		t.Error("markup rendered live")
	}
	if n := e.count(t, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("invalid form stored %d", n)
	}

	// Valid: redirect to "check your e-mail"; the same page whether known or not.
	resp, _ = e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("jurate@example.lt"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/en/events/"+slug+"/registered" {
		t.Fatalf("valid form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp2, _ := e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("JURATE@example.lt"))
	if resp2.StatusCode != resp.StatusCode || resp2.Header.Get("Location") != resp.Header.Get("Location") {
		t.Fatal("a known address answers differently")
	}
	if n := e.count(t, `SELECT count(*) FROM registrations`); n != 1 {
		t.Fatalf("%d registrations", n)
	}

	// Confirm by the link in the e-mail and the button of its page: confirmed,
	// the only place taken.
	resp, page = e.confirm(t, confirmationLink(t, e.st, "jurate@example.lt"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Thank you, you are registered") {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	manage := manageLink(t, e.st, "jurate@example.lt")
	resp, page = e.get(t, manage)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Jūratė Žemaitė") || !strings.Contains(page, "Confirmed") {
		t.Fatalf("manage page %d", resp.StatusCode)
	}
	// A wrong token is a plain 404. (The token's first character is changed:
	// its last one carries only a few bits, so "aa" at the end could be the
	// token itself.)
	i := strings.LastIndex(manage, "/") + 1
	other := "b"
	if manage[i] == 'b' {
		other = "c"
	}
	if resp, _ := e.get(t, manage[:i]+other+manage[i+1:]); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("wrong token: %d", resp.StatusCode)
	}

	// A second person joins the waiting list.
	e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("soren@example.dk"))
	_, page = e.confirm(t, confirmationLink(t, e.st, "soren@example.dk"))
	if !strings.Contains(page, "You are on the waiting list") {
		t.Fatal("second person not waitlisted")
	}

	// Change days, then cancel: the waiting person is promoted.
	day := e.f.Event.FirstDay.Format("2006-01-02")
	resp, _ = e.post(t, manage, manage+"/days", url.Values{"days": {day}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change days: %d", resp.StatusCode)
	}
	if n := e.count(t, `SELECT count(*) FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id WHERE r.email = 'jurate@example.lt'`); n != 1 {
		t.Fatalf("days after change: %d", n)
	}
	resp, _ = e.post(t, manage, manage+"/days", url.Values{})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no days: %d", resp.StatusCode)
	}
	resp, page = e.get(t, manage+"/cancel")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Yes, cancel my registration") {
		t.Fatalf("cancel page %d", resp.StatusCode)
	}
	resp, _ = e.post(t, manage+"/cancel", manage+"/cancel", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}
	if n := e.count(t, `SELECT count(*) FROM registrations WHERE status = 'confirmed' AND email = 'soren@example.dk'`); n != 1 {
		t.Fatal("waiting person not promoted")
	}
	_, page = e.get(t, manage)
	if !strings.Contains(page, "This registration is cancelled.") {
		t.Fatal("manage page after cancelling")
	}

	// Calendar downloads.
	resp, page = e.get(t, "/en/events/"+slug+"/calendar.ics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(page, "DTSTART;VALUE=DATE:"+e.f.Event.FirstDay.Format("20060102")) {
		t.Fatalf("calendar %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestResendLinkRevealsNothing(t *testing.T) {
	e := newEnv(t, nil)
	slug := e.f.Event.Slug
	e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("known@example.org"))
	known, _ := e.post(t, "/en/resend-link", "/en/resend-link", url.Values{"event": {slug}, "email": {"known@example.org"}})
	unknown, _ := e.post(t, "/en/resend-link", "/en/resend-link", url.Values{"event": {slug}, "email": {"unknown@example.org"}})
	if known.StatusCode != http.StatusSeeOther || known.StatusCode != unknown.StatusCode || known.Header.Get("Location") != unknown.Header.Get("Location") {
		t.Fatalf("answers differ: %d %s / %d %s", known.StatusCode, known.Header.Get("Location"), unknown.StatusCode, unknown.Header.Get("Location"))
	}
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE to_addr = 'known@example.org'`); n != 2 {
		t.Fatalf("known address got %d messages, want 2", n)
	}
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE to_addr = 'unknown@example.org'`); n != 0 {
		t.Fatalf("unknown address got %d messages", n)
	}
	// Rate limit per address: a localized 429 page.
	var last *http.Response
	var page string
	for range 4 {
		last, page = e.post(t, "/lv/resend-link", "/lv/resend-link", url.Values{"event": {slug}, "email": {"flood@example.org"}})
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, `lang="lv"`) {
		t.Fatalf("rate limit: %d", last.StatusCode)
	}
}

// The API answers a known address exactly as a new one: same status, same
// headers, same bytes, so that nobody learns who registered (the form does
// the same with its "check your e-mail" page).
func TestRegistrationAPIDoesNotTellKnownAddresses(t *testing.T) {
	e := newEnv(t, nil)
	path := "/api/v1/events/" + e.f.Event.Slug + "/registrations"
	body := func(email string) string {
		return `{"first_name":"Anna","last_name":"Kowalska","email":"` + email + `","country":"PL","city":"Łódź",
			"participation":"invited","partner":"lodz","language":"pl","privacy_notice_accepted":true}`
	}
	type answer struct {
		status  int
		headers http.Header
		body    string
	}
	send := func(email string) answer {
		t.Helper()
		// A client of its own: the confirming browser's cookies (its
		// language) are not the API caller's.
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body(email)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		h := resp.Header.Clone()
		h.Del("Date")
		h.Del("X-Request-Id") // differs per request, whoever asks
		return answer{resp.StatusCode, h, string(b)}
	}
	first := send("anna@example.pl")
	if first.status != http.StatusAccepted {
		t.Fatalf("first registration: %d %s", first.status, first.body)
	}
	for _, c := range []struct{ name, email string }{
		{"the same address again", "anna@example.pl"},
		{"the same address in capitals", "ANNA@example.pl"},
		{"a new address", "piotr@example.pl"},
	} {
		if got := send(c.email); !reflect.DeepEqual(got, first) {
			t.Errorf("%s: answered %d %v %q, a new address %d %v %q", c.name, got.status, got.headers, got.body,
				first.status, first.headers, first.body)
		}
	}
	e.confirm(t, confirmationLink(t, e.st, "anna@example.pl"))
	if got := send("anna@example.pl"); !reflect.DeepEqual(got, first) {
		t.Errorf("a confirmed address: answered %d %v %q", got.status, got.headers, got.body)
	}
	if strings.Contains(first.body, "id") {
		t.Errorf("the answer names a registration: %s", first.body)
	}
	if n := e.count(t, `SELECT count(*) FROM registrations WHERE event_id = $1`, e.f.Event.ID); n != 2 {
		t.Fatalf("%d registrations, want 2", n)
	}
}

func TestRegistrationAPI(t *testing.T) {
	e := newEnv(t, nil)
	path := "/api/v1/events/" + e.f.Event.Slug + "/registrations"
	valid := `{"first_name":"Ștefan","last_name":"Țurcanu","email":"stefan@example.ro","country":"RO","city":"Oradea",
		"participation":"invited","partner":"lodz","days":["` + e.f.Event.FirstDay.Format("2006-01-02") + `"],
		"language":"ro-RO","privacy_notice_accepted":true,"needs":"<script>alert(1)</script>"}`
	resp, body := e.postJSON(t, path, "application/json", valid)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("valid: %d %s", resp.StatusCode, body)
	}
	if body != `{"status":"pending_confirmation"}` {
		t.Fatalf("body %s", body)
	}
	if n := e.count(t, `SELECT count(*) FROM registrations WHERE email = 'stefan@example.ro' AND language = 'ro' AND source = 'api' AND first_name = 'Ștefan'`); n != 1 {
		t.Fatal("stored registration")
	}
	huge := `{"first_name":"` + strings.Repeat("a", 1<<20) + `"}`
	cases := []struct {
		name, ctype, body string
		status            int
		field             string
	}{
		{"wrong content type", "text/plain", valid, http.StatusUnsupportedMediaType, ""},
		{"no content type", "", valid, http.StatusUnsupportedMediaType, ""},
		{"malformed", "application/json", `{"first_name":`, http.StatusBadRequest, ""},
		{"two documents", "application/json", valid + valid, http.StatusBadRequest, ""},
		{"unknown field", "application/json", `{"firstname":"x"}`, http.StatusBadRequest, ""},
		{"wrong type", "application/json", `{"days":"all"}`, http.StatusBadRequest, ""},
		{"1 MB field", "application/json", huge, http.StatusRequestEntityTooLarge, ""},
		{"invalid", "application/json", `{"first_name":"A","last_name":"B","email":"x","country":"LT","city":"K","participation":"local","privacy_notice_accepted":true}`, http.StatusUnprocessableEntity, "email"},
		{"invalid utf-8", "application/json", "{\"first_name\":\"A\xff\",\"last_name\":\"B\",\"email\":\"u@example.org\",\"country\":\"LT\",\"city\":\"K\",\"participation\":\"local\",\"privacy_notice_accepted\":true}", http.StatusUnprocessableEntity, "first_name"},
		{"control character", "application/json", `{"first_name":"A\u0007","last_name":"B","email":"u@example.org","country":"LT","city":"K","participation":"local","privacy_notice_accepted":true}`, http.StatusUnprocessableEntity, "first_name"},
		{"privacy not accepted", "application/json", `{"first_name":"A","last_name":"B","email":"u@example.org","country":"LT","city":"K","participation":"local"}`, http.StatusUnprocessableEntity, "privacy_notice_accepted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.postJSON(t, path, c.ctype, c.body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %.200s", resp.StatusCode, c.status, body)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
			}
			var eb struct {
				Error struct {
					Code    string            `json:"code"`
					Message string            `json:"message"`
					Fields  map[string]string `json:"fields"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("error body %.200s", body)
			}
			if c.field != "" && eb.Error.Fields[c.field] == "" {
				t.Fatalf("fields %v lack %s", eb.Error.Fields, c.field)
			}
		})
	}
	if n := e.count(t, `SELECT count(*) FROM registrations`); n != 1 {
		t.Fatalf("bad requests stored rows: %d", n)
	}
	// Closed registration: 409.
	if _, err := e.st.DB.Exec(`UPDATE events SET registration_state = 'closed' WHERE id = $1`, e.f.Event.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = e.postJSON(t, path, "application/json", strings.Replace(valid, "stefan@", "other@", 1))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `"closed"`) {
		t.Fatalf("closed: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.postJSON(t, "/api/v1/events/nope/registrations", "application/json", valid); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown event: %d", resp.StatusCode)
	}
	// GET /api/v1/events carries registration_open and places_left.
	_, body = e.get(t, "/api/v1/events")
	if !strings.Contains(body, `"registration_open":false`) || !strings.Contains(body, `"places_left"`) {
		t.Fatalf("events list %s", body)
	}
	_, body = e.get(t, "/api/v1/openapi.json")
	if !strings.Contains(body, "/events/{slug}/registrations") || !strings.Contains(body, "RegistrationRequest") {
		t.Fatal("OpenAPI document lacks the registration API")
	}
}

// A body over the 1 MiB limit gets the localized error page on HTML routes
// and the JSON error on API routes, whether its size is announced
// (Content-Length, refused before reading) or found while reading (chunked).
// It used to be a bare 413 with an empty body.
func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	slug := e.f.Event.Slug
	form := "/lv/events/" + slug + "/register"
	_, page := e.get(t, form)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token")
	}
	big := strings.Repeat("a", 1<<20)
	formBody := "csrf_token=" + m[1] + "&first_name=" + big
	apiBody := `{"first_name":"` + big + `"}`
	cases := []struct {
		name, path, ctype, body string
		chunked                 bool
		wantType, want          string
	}{
		{"form", form, "application/x-www-form-urlencoded", formBody, false, "text/html", "Pieprasījums ir pārāk liels"},
		{"form, chunked", form, "application/x-www-form-urlencoded", formBody, true, "text/html", "Pieprasījums ir pārāk liels"},
		{"API", "/api/v1/events/" + slug + "/registrations", "application/json", apiBody, false, "application/json", `"code":"too_large"`},
		{"API, chunked", "/api/v1/events/" + slug + "/registrations", "application/json", apiBody, true, "application/json", `"code":"too_large"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(c.body)
			if c.chunked {
				body = io.MultiReader(body) // length unknown to the client
			}
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+c.path, body)
			req.Header.Set("Content-Type", c.ctype)
			req.Header.Set("Accept-Language", "lv")
			if (req.ContentLength == 0) != c.chunked {
				t.Fatalf("Content-Length %d", req.ContentLength)
			}
			resp, got := e.do(t, req)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413: %.300s", resp.StatusCode, got)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.wantType) {
				t.Fatalf("content type %q, want %s", ct, c.wantType)
			}
			if !strings.Contains(got, c.want) {
				t.Fatalf("body lacks %q: %.500s", c.want, got)
			}
		})
	}
	if n := e.count(t, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("stored %d registrations", n)
	}
}

func TestNamesSurviveEveryPage(t *testing.T) {
	e := newEnv(t, nil)
	slug := e.f.Event.Slug
	names := [][2]string{{"Jūratė", "Žemaitė"}, {"Łukasz", "Wójcik"}, {"Ștefan", "Țurcanu"}, {"Søren", "Ærø"}, {"Алексей", "Щукин"}}
	for i, n := range names {
		email := fmt.Sprintf("n%d@example.org", i)
		form := e.validForm(email)
		form.Set("first_name", n[0])
		form.Set("last_name", n[1])
		if resp, _ := e.post(t, "/ru/events/"+slug+"/register", "/ru/events/"+slug+"/register", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", n[0], resp.StatusCode)
		}
		_, page := e.confirm(t, confirmationLink(t, e.st, email))
		if !strings.Contains(page, "/r/") {
			t.Fatalf("%s: confirm page", n[0])
		}
		manage := manageLink(t, e.st, email)
		for _, p := range []string{manage, manage + "/edit", manage + "/cancel"} {
			_, page := e.get(t, p)
			if !strings.Contains(page, n[0]) || !strings.Contains(page, n[1]) {
				t.Errorf("%s: %s lacks the name", n[0], p)
			}
		}
		var first, last string
		e.st.DB.QueryRow(`SELECT first_name, last_name FROM registrations WHERE email = $1`, email).Scan(&first, &last)
		if first != n[0] || last != n[1] {
			t.Errorf("stored %q %q", first, last)
		}
	}
}

package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// staffEnv is a served application with a project (fixture f), its
// coordinator's report token, an administrator's token, and a second
// project whose coordinator may touch nothing of the first.
type staffEnv struct {
	t       *testing.T
	s       *webtest.Server
	st      *store.Store
	f       regtest.Fixture
	other   regtest.Fixture
	coord   string // report-scope token of the first project's coordinator
	admin   string // admin-scope token of an administrator
	foreign string // report-scope token of the second project's coordinator
}

func newStaffEnv(t *testing.T, capacity *int) *staffEnv {
	t.Helper()
	s := webtest.New(t, webtest.Options{SelfBaseURL: true})
	e := &staffEnv{t: t, s: s, st: s.Store}
	e.f = regtest.NewFixture(t, s.Store, "ev-staff", capacity)
	e.other = regtest.NewFixture(t, s.Store, "ev-other", nil)
	e.coord = e.user("coord@daugavpils.lv", auth.RoleCoordinator, &e.f.Project.ID, auth.ScopeReport)
	e.admin = e.user("admin@daugavpils.lv", auth.RoleAdmin, nil, auth.ScopeAdmin)
	e.foreign = e.user("coord@faraway.pt", auth.RoleCoordinator, &e.other.Project.ID, auth.ScopeReport)
	return e
}

// user creates a staff user and returns an API token of theirs with scope.
func (e *staffEnv) user(email, role string, project *int64, scope string) string {
	e.t.Helper()
	ctx := context.Background()
	u := store.User{Email: email, Name: "Staff " + email, Role: role, ProjectID: project, Language: "en"}
	if err := e.st.CreateUser(ctx, e.st.DB, &u); err != nil {
		e.t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:10], UserID: &u.ID, Scopes: []string{scope}}
	if err := e.st.CreateToken(ctx, e.st.DB, &tok); err != nil {
		e.t.Fatal(err)
	}
	return plain
}

// call sends a request with a bearer token and decodes a JSON answer into out (when not nil).
func (e *staffEnv) call(token, method, path string, body any, out any) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.s.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	return resp.StatusCode, string(b)
}

// insert stores a registration of event ev directly, with every day.
func (e *staffEnv) insert(ev store.Event, first, last, email string, status store.Status, part store.Participation, partner *int64) store.Registration {
	e.t.Helper()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	r := store.Registration{EventID: ev.ID, Status: status, FirstName: first, LastName: last, Country: "LV",
		City: "Daugavpils", Participation: part, PartnerID: partner, Language: "en", ManageNonce: nonce}
	if email != "" {
		r.Email = &email
	}
	if part == store.Invited {
		r.Country, r.City = "LT", "Kaunas"
	}
	if err := e.st.InsertRegistration(context.Background(), e.st.DB, &r, ev.Days()); err != nil {
		e.t.Fatal(err)
	}
	if status == store.StatusWaitlisted || status == store.StatusConfirmed || status == store.StatusCancelled {
		if _, err := e.st.SetRegistrationStatus(context.Background(), e.st.DB, r.ID, status); err != nil {
			e.t.Fatal(err)
		}
	}
	return r
}

func (e *staffEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.st.DB.Get(&n, query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

type item struct {
	ID            int64    `json:"id"`
	Event         string   `json:"event"`
	Status        string   `json:"status"`
	FirstName     string   `json:"first_name"`
	LastName      string   `json:"last_name"`
	Email         *string  `json:"email"`
	Phone         string   `json:"phone"`
	Participation string   `json:"participation"`
	Partner       *string  `json:"partner"`
	Days          []string `json:"days"`
	AttendedDays  []string `json:"attended_days"`
	Source        string   `json:"source"`
	Anonymised    bool     `json:"anonymised"`
	Erased        bool     `json:"erased"`
	TicketEmailed bool     `json:"ticket_emailed"`
}

type page struct {
	Items      []item  `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// The list pages through more than 120 registrations with no duplicate and
// no gap, also while people register between pages; the filters select what
// the database holds; each page is audited without personal data.
func TestStaffRegistrationsList(t *testing.T) {
	e := newStaffEnv(t, nil)
	ev := e.f.Event
	kaunas := e.f.Partners["kaunas"].ID
	statuses := []store.Status{store.StatusConfirmed, store.StatusPending, store.StatusWaitlisted, store.StatusCancelled}
	for i := range 130 {
		part, partner := store.Local, (*int64)(nil)
		if i%3 == 0 {
			part, partner = store.Invited, &kaunas
		}
		e.insert(ev, fmt.Sprintf("Person%03d", i), "Kalniņa", fmt.Sprintf("p%03d@example.org", i), statuses[i%4], part, partner)
	}
	// Another event's registrations never show.
	e.insert(e.other.Event, "Foreign", "Person", "foreign@example.org", store.StatusConfirmed, store.Local, nil)
	day1 := ev.FirstDay.Format(time.DateOnly)
	// One attended day shows in attended_days.
	var firstID int64
	e.st.DB.Get(&firstID, `SELECT min(id) FROM registrations WHERE event_id = $1`, ev.ID)
	if _, err := e.st.DB.Exec(`INSERT INTO admissions (event_id, registration_id, day, admitted_at) VALUES ($1, $2, $3, now())`,
		ev.ID, firstID, day1); err != nil {
		t.Fatal(err)
	}

	base := "/api/v1/events/" + ev.Slug + "/registrations"
	var seen []int64
	cursor, pages, added := "", 0, 0
	for {
		q := url.Values{"limit": {"25"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var p page
		if code, body := e.call(e.coord, http.MethodGet, base+"?"+q.Encode(), nil, &p); code != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, code, body)
		}
		pages++
		for _, it := range p.Items {
			seen = append(seen, it.ID)
			if it.Event != ev.Slug {
				t.Fatalf("item of event %q", it.Event)
			}
			if it.ID == firstID && !slices.Equal(it.AttendedDays, []string{day1}) {
				t.Errorf("attended days %v, want [%s]", it.AttendedDays, day1)
			}
			if len(it.Days) != 3 {
				t.Errorf("registration %d: days %v", it.ID, it.Days)
			}
		}
		if pages == 2 {
			// People register while the client pages: they come on later pages.
			for i := range 5 {
				e.insert(ev, fmt.Sprintf("Late%d", i), "Ozols", fmt.Sprintf("late%d@example.org", i), store.StatusPending, store.Local, nil)
				added++
			}
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
		if pages > 20 {
			t.Fatal("no end of pages")
		}
	}
	var all []int64
	if err := e.st.DB.Select(&all, `SELECT id FROM registrations WHERE event_id = $1 ORDER BY id`, ev.ID); err != nil {
		t.Fatal(err)
	}
	if len(all) != 130+added || !slices.Equal(seen, all) {
		t.Fatalf("paged %d ids, the event has %d: duplicates or gaps", len(seen), len(all))
	}
	if pages != 6 {
		t.Errorf("%d pages of 25 for 135 registrations, want 6", pages)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'export.registrations'`); n != pages {
		t.Errorf("%d audit entries for %d pages", n, pages)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'export.registrations' AND (details::text LIKE '%@%' OR details::text LIKE '%Kalni%')`); n != 0 {
		t.Errorf("%d audit entries hold personal data", n)
	}

	// Filters, alone and together, against the database's own count.
	for _, c := range []struct {
		query string
		where string
	}{
		{"status=waitlisted", "status = 'waitlisted'"},
		{"status=pending_confirmation", "status = 'pending_confirmation'"},
		{"partner=kaunas", fmt.Sprintf("partner_id = %d", kaunas)},
		{"participation=invited", "participation = 'invited'"},
		{"participation=local&status=confirmed", "participation = 'local' AND status = 'confirmed'"},
		{"q=person01", "first_name ILIKE '%person01%'"},
		{"q=P007%40EXAMPLE.ORG", "email = 'p007@example.org'"},
		{"q=" + itoa(firstID+100), "(id = " + itoa(firstID+100) + " OR email ILIKE '%" + itoa(firstID+100) + "%' OR first_name ILIKE '%" + itoa(firstID+100) + "%')"},
		{"q=%25", "false"}, // a literal percent sign, not a wildcard
	} {
		var p page
		if code, body := e.call(e.coord, http.MethodGet, base+"?limit=500&"+c.query, nil, &p); code != http.StatusOK {
			t.Errorf("%s: %d %s", c.query, code, body)
			continue
		}
		want := e.count(`SELECT count(*) FROM registrations WHERE event_id = $1 AND `+c.where, ev.ID)
		if len(p.Items) != want || p.NextCursor != nil {
			t.Errorf("%s: %d items, want %d", c.query, len(p.Items), want)
		}
		if want == 0 && c.where != "false" {
			t.Errorf("%s: the filter selects nothing, the test proves nothing", c.query)
		}
	}
	// A limit above 500 gives 500 at most; the default is 50.
	var p page
	e.call(e.coord, http.MethodGet, base, nil, &p)
	if len(p.Items) != 50 || p.NextCursor == nil {
		t.Errorf("default page: %d items", len(p.Items))
	}
	if code, body := e.call(e.admin, http.MethodGet, base+"?limit=100000", nil, &p); code != http.StatusOK || len(p.Items) != 135 || p.NextCursor != nil {
		t.Errorf("large limit: %d items, %d %.300s", len(p.Items), code, body)
	}
	// Bad filters are refused with the field named.
	for query, field := range map[string]string{
		"status=gone": "status", "participation=vip": "participation", "partner=nowhere": "partner",
		"limit=0": "limit", "limit=x": "limit", "cursor=bm9wZQ": "cursor", "cursor=%21%21": "cursor",
	} {
		code, body := e.call(e.coord, http.MethodGet, base+"?"+query, nil, nil)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `"`+field+`"`) {
			t.Errorf("%s: %d %s", query, code, body)
		}
	}
}

// Another project's coordinator finds none of the first project's
// registrations on any endpoint (404), and changes nothing.
func TestStaffRegistrationsOtherProject(t *testing.T) {
	e := newStaffEnv(t, nil)
	r := e.insert(e.f.Event, "Anna", "Bērziņa", "anna@example.lv", store.StatusConfirmed, store.Local, nil)
	snapshot := func() string {
		var s string
		if err := e.st.DB.Get(&s, `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))
			FROM (SELECT id, status, first_name, phone, email FROM registrations
			      UNION ALL SELECT registration_id, 'day', day::text, '', NULL FROM registration_days
			      UNION ALL SELECT id, kind, to_addr, '', NULL FROM outbox
			      UNION ALL SELECT id, 'ticket', '', '', NULL FROM tickets) x`); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := snapshot()
	id := itoa(r.ID)
	onBehalf := map[string]any{"first_name": "Eve", "last_name": "Intruder", "email": "eve@example.org", "country": "PT",
		"city": "Faraway", "participation": "other", "privacy_notice_accepted": true, "reason": "x", "send_ticket": true}
	steps := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/v1/events/" + e.f.Event.Slug + "/registrations", nil},
		{http.MethodGet, "/api/v1/registrations/" + id, nil},
		{http.MethodPatch, "/api/v1/registrations/" + id, map[string]any{"first_name": "Eve"}},
		{http.MethodPost, "/api/v1/registrations/" + id + "/cancel", map[string]any{}},
		{http.MethodPost, "/api/v1/events/" + e.f.Event.Slug + "/registrations/on-behalf", onBehalf},
	}
	for _, s := range steps {
		if code, body := e.call(e.foreign, s.method, s.path, s.body, nil); code != http.StatusNotFound {
			t.Errorf("foreign %s %s: %d %s", s.method, s.path, code, body)
		}
	}
	if snapshot() != before {
		t.Fatal("another project's coordinator changed the first project's data")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'export.%'`); n != 0 {
		t.Errorf("%d reads recorded for refused requests", n)
	}
	// The project's own coordinator may do each (the refusals are the rule's).
	for _, s := range steps {
		if code, body := e.call(e.coord, s.method, s.path, s.body, nil); code >= 300 {
			t.Errorf("own coordinator %s %s: %d %s", s.method, s.path, code, body)
		}
	}
}

// PATCH refuses bad input field by field and stores nothing of it; a good
// change of details and days is one change with one message; cancelled,
// erased and anonymised registrations are not changed (409).
func TestStaffRegistrationPatch(t *testing.T) {
	e := newStaffEnv(t, nil)
	ev := e.f.Event
	r := e.insert(ev, "Anna", "Bērziņa", "anna@example.lv", store.StatusConfirmed, store.Local, nil)
	path := "/api/v1/registrations/" + itoa(r.ID)
	state := func() string {
		var s string
		e.st.DB.Get(&s, `SELECT concat_ws('|', first_name, last_name, phone, country, city, participation, partner_id, language,
			(SELECT string_agg(day::text, ',' ORDER BY day) FROM registration_days WHERE registration_id = $1))
			FROM registrations WHERE id = $1`, r.ID)
		return s
	}
	before := state()
	day1, day2 := ev.FirstDay.Format(time.DateOnly), ev.FirstDay.AddDate(0, 0, 1).Format(time.DateOnly)
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"first_name": ""}, "first_name"},
		{map[string]any{"country": "XX"}, "country"},
		{map[string]any{"phone": "call me"}, "phone"},
		{map[string]any{"participation": "vip"}, "participation"},
		{map[string]any{"participation": "invited"}, "partner"},
		{map[string]any{"participation": "invited", "partner": "atlantis"}, "partner"},
		{map[string]any{"language": ""}, "language"},
		{map[string]any{"days": []string{}}, "days"},
		{map[string]any{"days": []string{"2001-01-01"}}, "days"},
		// A good detail with a bad day: neither is stored.
		{map[string]any{"phone": "+371 2000 0000", "days": []string{"not a day"}}, "days"},
		{map[string]any{"city": strings.Repeat("x", 201)}, "city"},
	} {
		code, body := e.call(e.coord, http.MethodPatch, path, c.body, nil)
		var ans struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		json.Unmarshal([]byte(body), &ans)
		if code != http.StatusUnprocessableEntity || ans.Error.Fields[c.field] == "" || ans.Error.Code != "invalid" {
			t.Errorf("%v: %d %s, want 422 on %s", c.body, code, body, c.field)
		}
	}
	if code, body := e.call(e.coord, http.MethodPatch, path, map[string]any{"nickname": "Ann"}, nil); code != http.StatusBadRequest {
		t.Errorf("unknown field: %d %s", code, body)
	}
	req, _ := http.NewRequest(http.MethodPatch, e.s.URL+path, strings.NewReader("first_name=Eve"))
	req.Header.Set("Authorization", "Bearer "+e.coord)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form body: %v %v", resp.StatusCode, err)
	}
	if state() != before {
		t.Fatalf("refused changes were stored: %s, was %s", state(), before)
	}
	if n := e.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("%d messages after refused changes", n)
	}

	var it item
	code, body := e.call(e.coord, http.MethodPatch, path, map[string]any{"phone": "+371 2000 0000", "participation": "invited",
		"partner": "kaunas", "days": []string{day2, day1}}, &it)
	if code != http.StatusOK || it.Phone != "+371 2000 0000" || it.Partner == nil || *it.Partner != "kaunas" ||
		!slices.Equal(it.Days, []string{day1, day2}) || it.Status != "confirmed" {
		t.Fatalf("patch: %d %s", code, body)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE to_addr = 'anna@example.lv' AND kind = 'changed'`); n != 1 {
		t.Errorf("%d change messages, want 1 for one change", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE object_id = $1 AND action IN ('registration.change_details', 'registration.change_days')`, itoa(r.ID)); n != 2 {
		t.Errorf("%d audit entries for the change", n)
	}
	// GET reads it back, audited.
	if code, _ := e.call(e.coord, http.MethodGet, path, nil, &it); code != http.StatusOK || it.Phone != "+371 2000 0000" {
		t.Errorf("get: %d", code)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'export.registration' AND object_id = $1`, itoa(r.ID)); n != 1 {
		t.Errorf("%d read entries", n)
	}

	// Erased: 409 and nothing changes.
	gone := e.insert(ev, "Gone", "Person", "gone@example.lv", store.StatusConfirmed, store.Local, nil)
	ctx := context.Background()
	if _, err := e.st.AnonymiseRegistrations(ctx, e.st.DB, []int64{gone.ID}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.MarkErased(ctx, e.st.DB, []int64{gone.ID}); err != nil {
		t.Fatal(err)
	}
	gpath := "/api/v1/registrations/" + itoa(gone.ID)
	for _, b := range []map[string]any{{"first_name": "Back"}, {"days": []string{day1}}, {}} {
		if code, body := e.call(e.coord, http.MethodPatch, gpath, b, nil); code != http.StatusConflict {
			t.Errorf("erased %v: %d %s", b, code, body)
		}
	}
	if code, _ := e.call(e.coord, http.MethodGet, gpath, nil, &it); code != http.StatusOK || !it.Erased || !it.Anonymised || it.FirstName != "" || it.Email != nil {
		t.Errorf("erased item: %d %+v", code, it)
	}
	if n := e.count(`SELECT count(*) FROM registration_days WHERE registration_id = $1`, gone.ID); n != 3 {
		t.Errorf("erased registration's days changed: %d", n)
	}
	// Cancelled: 409 too.
	cpath := "/api/v1/registrations/" + itoa(r.ID)
	if code, body := e.call(e.coord, http.MethodPost, cpath+"/cancel", nil, &it); code != http.StatusOK || it.Status != "cancelled" {
		t.Fatalf("cancel: %d %s", code, body)
	}
	if code, _ := e.call(e.coord, http.MethodPatch, cpath, map[string]any{"phone": "1"}, nil); code != http.StatusConflict {
		t.Errorf("cancelled patch: %d", code)
	}
}

// Registering on a person's behalf: confirmed at once with the ticket
// e-mailed when asked, printed (no message) when not, waitlisted when full
// and promoted when a confirmed person is cancelled through the API; a past
// event is never e-mailed; a known address is 409.
func TestStaffRegistrationOnBehalf(t *testing.T) {
	e := newStaffEnv(t, regtest.Ptr(2))
	ev := e.f.Event
	path := "/api/v1/events/" + ev.Slug + "/registrations/on-behalf"
	person := func(first, email string, send bool) map[string]any {
		return map[string]any{"first_name": first, "last_name": "Bērziņa", "email": email, "country": "LV", "city": "Daugavpils",
			"participation": "local", "language": "lv", "privacy_notice_accepted": true, "reason": "Registered by phone",
			"send_ticket": send}
	}
	// Refusals first: nothing stored.
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{person("Anna", "", true), "email"}, // e-mailing the ticket needs an address
		{func() map[string]any { b := person("Anna", "anna@example.lv", true); b["reason"] = "  "; return b }(), "reason"},
		{func() map[string]any {
			b := person("Anna", "anna@example.lv", true)
			delete(b, "privacy_notice_accepted")
			return b
		}(), "privacy_notice_accepted"},
		{func() map[string]any {
			b := person("Anna", "anna@example.lv", true)
			b["days"] = []string{"1999-01-01"}
			return b
		}(), "days"},
		{person("", "anna@example.lv", true), "first_name"},
	} {
		if code, body := e.call(e.coord, http.MethodPost, path, c.body, nil); code != http.StatusUnprocessableEntity || !strings.Contains(body, `"`+c.field+`"`) {
			t.Errorf("%v: %d %s", c.field, code, body)
		}
	}
	if n := e.count(`SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("refused requests stored %d registrations", n)
	}

	var anna, printed, waiting item
	if code, body := e.call(e.coord, http.MethodPost, path, person("Anna", "anna@example.lv", true), &anna); code != http.StatusCreated ||
		anna.Status != "confirmed" || anna.Source != "admin" || !anna.TicketEmailed {
		t.Fatalf("on behalf, e-mailed: %d %s", code, body)
	}
	if m := regtestMail(t, e.st, "anna@example.lv"); !slices.Equal(m, []string{"ticket"}) {
		t.Errorf("anna's messages %v, want the ticket only", m)
	}
	if code, body := e.call(e.coord, http.MethodPost, path, person("Pēteris", "", false), &printed); code != http.StatusCreated ||
		printed.Status != "confirmed" || printed.TicketEmailed || printed.Email != nil {
		t.Fatalf("on behalf, printed: %d %s", code, body)
	}
	for _, id := range []int64{anna.ID, printed.ID} {
		if n := e.count(`SELECT count(*) FROM tickets WHERE registration_id = $1 AND revoked_at IS NULL`, id); n != 1 {
			t.Errorf("registration %d has %d live tickets", id, n)
		}
	}
	if n := e.count(`SELECT count(*) FROM outbox`); n != 1 {
		t.Errorf("%d messages, want only anna's ticket", n)
	}
	// The event is full (capacity 2): the next one waits, told by e-mail as asked.
	if code, body := e.call(e.coord, http.MethodPost, path, person("Ilze", "ilze@example.lv", true), &waiting); code != http.StatusCreated ||
		waiting.Status != "waitlisted" {
		t.Fatalf("on behalf, full: %d %s", code, body)
	}
	// The same address again: 409 naming the registration, nothing new.
	code, body := e.call(e.coord, http.MethodPost, path, person("Anna", "ANNA@example.lv", false), nil)
	if code != http.StatusConflict || !strings.Contains(body, `"already_registered"`) || !strings.Contains(body, itoa(anna.ID)) {
		t.Errorf("duplicate: %d %s", code, body)
	}
	if n := e.count(`SELECT count(*) FROM registrations`); n != 3 {
		t.Errorf("%d registrations after the duplicate", n)
	}
	// Audited with the reason.
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'registration.create_by_staff' AND details->>'reason' = 'Registered by phone'`); n != 3 {
		t.Errorf("%d audit entries with the reason", n)
	}
	// Cancelling a confirmed person promotes the waiting list.
	var it item
	if code, body := e.call(e.coord, http.MethodPost, "/api/v1/registrations/"+itoa(anna.ID)+"/cancel", nil, &it); code != http.StatusOK || it.Status != "cancelled" {
		t.Fatalf("cancel: %d %s", code, body)
	}
	e.call(e.coord, http.MethodGet, "/api/v1/registrations/"+itoa(waiting.ID), nil, &it)
	if it.Status != "confirmed" {
		t.Errorf("waiting person is %s after the cancellation", it.Status)
	}
	if m := regtestMail(t, e.st, "ilze@example.lv"); !slices.Equal(m, []string{"waitlisted", "promoted"}) {
		t.Errorf("ilze's messages %v", m)
	}
	if m := regtestMail(t, e.st, "anna@example.lv"); !slices.Equal(m, []string{"ticket", "cancelled"}) {
		t.Errorf("anna's messages %v", m)
	}

	// A past event: recorded, confirmed, never e-mailed even when asked.
	host := e.f.Partners["daugavpils"].ID
	first := time.Now().UTC().AddDate(0, -2, 0).Truncate(24 * time.Hour)
	past := store.Event{ProjectID: e.f.Project.ID, Slug: "ev-past", Number: 2, HostPartnerID: &host,
		Title: store.Texts{"en": "Kick-off"}, City: "Daugavpils", Country: "LV", FirstDay: first, LastDay: first.AddDate(0, 0, 1),
		TimeZone: "Europe/Riga", RegistrationState: "closed"}
	if err := e.st.CreateEvent(context.Background(), e.st.DB, &past); err != nil {
		t.Fatal(err)
	}
	var hist item
	if code, body := e.call(e.coord, http.MethodPost, "/api/v1/events/ev-past/registrations/on-behalf",
		person("Jānis", "janis@example.lv", true), &hist); code != http.StatusCreated || hist.Status != "confirmed" || hist.TicketEmailed {
		t.Fatalf("past event: %d %s", code, body)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE to_addr = 'janis@example.lv'`); n != 0 {
		t.Errorf("past event: %d messages", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'registration.create_by_staff' AND object_id = $1
		AND details->>'event_over' = 'true' AND details->>'ticket_emailed' = 'false'`, itoa(hist.ID)); n != 1 {
		t.Errorf("past event audit entries: %d", n)
	}
}

// regtestMail lists the kinds of the messages queued for an address, oldest first.
func regtestMail(t *testing.T, st *store.Store, to string) []string {
	t.Helper()
	var kinds []string
	if err := st.DB.Select(&kinds, `SELECT kind FROM outbox WHERE lower(to_addr) = lower($1) ORDER BY id`, to); err != nil {
		t.Fatal(err)
	}
	return kinds
}

func itoa(n int64) string { return fmt.Sprint(n) }

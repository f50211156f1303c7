package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
)

// other is a second network on the same platform: its own project, partner,
// event and staff, none of whom may touch the first project's objects.
type other struct {
	project store.Project
	partner store.Partner
	event   store.Event
	callers map[string]caller
}

// foreign names the callers of the other network.
var foreign = []string{"coordOther", "coordOther-scan", "coordOther-report", "partnerOther", "doorOther", "deviceOther"}

func newOther(t *testing.T, f *fixture) *other {
	t.Helper()
	ctx := context.Background()
	st := f.st
	o := &other{callers: map[string]caller{}}
	o.project = store.Project{Code: "tt-other", Title: store.Texts{"en": "Another network"}, Acronym: "OTHER",
		Programme: "CERV", Strand: "Town-Twinning", Measure: store.Texts{"en": "Town-Twinning"}, GrantRef: "101-OTHER"}
	if err := st.CreateProject(ctx, st.DB, &o.project); err != nil {
		t.Fatal(err)
	}
	o.partner = store.Partner{ProjectID: o.project.ID, Slug: "faraway", Organisation: "Faraway Town", City: "Faraway", Country: "PT", IsLead: true}
	if err := st.CreatePartner(ctx, st.DB, &o.partner); err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	o.event = store.Event{ProjectID: o.project.ID, Slug: "other-1", Number: 1, HostPartnerID: &o.partner.ID,
		Title: store.Texts{"en": "Other meeting"}, City: "Faraway", Country: "PT", FirstDay: day, LastDay: day.AddDate(0, 0, 1),
		TimeZone: "Europe/Lisbon", RegistrationState: "open"}
	if err := st.CreateEvent(ctx, st.DB, &o.event); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*store.User{
		"coordOther":   {Email: "coord@faraway.example", Name: "Otto Other", Role: auth.RoleCoordinator, ProjectID: &o.project.ID},
		"partnerOther": {Email: "partner@faraway.example", Name: "Paula Other", Role: auth.RolePartner, ProjectID: &o.project.ID, PartnerID: &o.partner.ID},
		"doorOther":    {Email: "door@faraway.example", Name: "Dina Other", Role: auth.RoleDoor, ProjectID: &o.project.ID},
	}
	for key, u := range users {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, st.DB, u); err != nil {
			t.Fatal(err)
		}
		f.users[key] = *u
		cookie, csrf := f.session(t, key)
		o.callers[key] = caller{cookie: cookie, csrf: csrf}
	}
	for _, key := range []string{"doorOther", "partnerOther"} {
		if err := st.GrantEvent(ctx, st.DB, users[key].ID, o.event.ID, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	dev := store.Device{EventID: o.event.ID, Name: "faraway phone"}
	if err := st.CreateDevice(ctx, st.DB, &dev); err != nil {
		t.Fatal(err)
	}
	csrf := strings.Repeat("c", 32)
	o.callers["deviceOther"] = caller{bearer: f.token(t, nil, &dev.ID, auth.ScopeScan), csrf: csrf}
	coord := users["coordOther"].ID
	o.callers["coordOther-scan"] = caller{bearer: f.token(t, &coord, nil, auth.ScopeScan), csrf: csrf}
	o.callers["coordOther-report"] = caller{bearer: f.token(t, &coord, nil, auth.ScopeReport), csrf: csrf}
	return o
}

// firstProject holds objects of the first project that routes name.
type firstProject struct {
	event        store.Event
	device       store.Device
	registration int64
	delegation   int64
	message      int64
	code         string
	ruleSet      string // a rule set of the first project's own
}

func newFirstProject(t *testing.T, f *fixture) firstProject {
	t.Helper()
	ctx := context.Background()
	fp := firstProject{event: f.eventA, device: f.deviceA, code: "decode"}
	if err := f.st.DB.GetContext(ctx, &fp.registration, `SELECT id FROM registrations
		WHERE event_id = $1 AND status = 'confirmed' ORDER BY id LIMIT 1`, f.eventA.ID); err != nil {
		t.Fatal(err)
	}
	var kaunas int64
	if err := f.st.DB.GetContext(ctx, &kaunas, `SELECT id FROM partners WHERE slug = 'kaunas'`); err != nil {
		t.Fatal(err)
	}
	d := store.Delegation{EventID: f.eventA.ID, PartnerID: kaunas}
	if err := f.st.CreateDelegation(ctx, f.st.DB, &d); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE registrations SET delegation_id = $1, partner_id = $2 WHERE id = $3`,
		d.ID, kaunas, fp.registration); err != nil {
		t.Fatal(err)
	}
	fp.delegation = d.ID
	m := store.Message{ProjectID: f.eventA.ProjectID, EventID: &f.eventA.ID, Segment: "confirmed",
		Subject: store.Texts{"en": "Hello"}, Body: store.Texts{"en": "Hello {first_name}"}}
	if err := f.st.InsertMessage(ctx, f.st.DB, &m); err != nil {
		t.Fatal(err)
	}
	fp.message = m.ID
	decode, err := f.st.ProjectByCode(ctx, f.st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	rs := store.RuleSet{Code: "decode-own", Name: "DeCoDe's own rules", ProjectID: &decode.ID, Editable: true, EligibleCountries: []string{"LV", "LT"}}
	if err := f.st.CreateRuleSet(ctx, f.st.DB, &rs); err != nil {
		t.Fatal(err)
	}
	fp.ruleSet = rs.Code
	// A question of the event with an answer, for the question routes.
	q := store.Question{EventID: f.eventA.ID, Key: "workshop", Kind: store.QuestionSingleChoice, Position: -1,
		Label: store.Texts{"en": "Workshop"}, Options: store.Options{{Value: "walk", Label: store.Texts{"en": "Walk"}}}, InReport: true}
	if err := f.st.CreateQuestion(ctx, f.st.DB, &q); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetAnswers(ctx, f.st.DB, fp.registration, f.eventA.ID, []int64{q.ID}, map[int64][]string{q.ID: {"walk"}}); err != nil {
		t.Fatal(err)
	}
	return fp
}

// objectTarget fills a route's parameters with the first project's objects and
// names the event in the query where the route takes it there. ok is false
// for routes that name no object of a project.
func objectTarget(rt web.Route, fp firstProject) (target string, ok bool) {
	switch rt.Access {
	case web.Anyone, web.AnyoneAPI, web.Ops:
		return "", false // public pages of an event are everyone's
	}
	parts := strings.Split(rt.Path, "/")
	for i, p := range parts {
		switch {
		case p == ":lang":
			parts[i] = "en"
		case p == ":slug" && i > 0 && parts[i-1] == "partners":
			parts[i], ok = "kaunas", true // a partner of the first project
		case p == ":slug":
			parts[i], ok = fp.event.Slug, true
		case p == ":code" && (strings.HasPrefix(rt.Path, "/admin/rulesets/") || strings.HasPrefix(rt.Path, "/api/v1/rule-sets/")):
			parts[i], ok = fp.ruleSet, true
		case p == ":code":
			parts[i], ok = fp.code, true
		case p == ":key":
			parts[i], ok = "workshop", true // the first project's event's question
		case p == ":reg":
			parts[i], ok = itoa(fp.registration), true
		case p == ":id" && strings.HasPrefix(rt.Path, "/admin/devices/"):
			parts[i], ok = itoa(fp.device.ID), true
		case p == ":id" && (strings.HasPrefix(rt.Path, "/admin/registrations/") || strings.HasPrefix(rt.Path, "/api/v1/registrations/")):
			parts[i], ok = itoa(fp.registration), true
		case p == ":id" && (strings.HasPrefix(rt.Path, "/admin/messages/") || strings.HasPrefix(rt.Path, "/api/v1/messages/")):
			parts[i], ok = itoa(fp.message), true
		case p == ":id" && strings.HasPrefix(rt.Path, "/partner/delegations/"):
			parts[i], ok = itoa(fp.delegation), true
		case p == ":id" && strings.HasPrefix(rt.Path, "/admin/projects/"):
			parts[i], ok = "1", true
		case strings.HasPrefix(p, "*"):
			parts[i] = "x"
		case strings.HasPrefix(p, ":"):
			parts[i] = "999999"
		}
	}
	target = strings.Join(parts, "/")
	// Routes that take the event in the query (the door's API and pages).
	if strings.HasPrefix(rt.Path, "/api/v1/door/") || strings.HasPrefix(rt.Path, "/api/v1/scans") ||
		rt.Path == "/door/live" || rt.Path == "/admin/devices" {
		target += "?event=" + url.QueryEscape(fp.event.Slug)
		ok = true
	}
	return target, ok
}

// objectBody is a request that would change the object if the caller were
// allowed: the fields each object route reads.
func objectBody(rt web.Route, fp firstProject) (body []byte, contentType string) {
	if rt.Method == http.MethodGet {
		return nil, ""
	}
	if rt.Access.IsAPI() {
		b, _ := json.Marshal(map[string]any{
			"registration_id": fp.registration, "reason": "forgot the ticket", "first_name": "Eve", "last_name": "Intruder",
			"country": "PT", "payload": "x", "scan_id": "00000000-0000-4000-8000-000000000001", "scans": []any{},
			"image": "data:image/png;base64,iVBORw0KGgo=", "email": "eve@example.org",
			"venue": "Taken over", "organisation": "Taken over", "acronym": "X",
			"segment": "confirmed", "subject": map[string]string{"en": "Hi"}, "body": map[string]string{"en": "Hello"},
			"key": "stolen", "kind": "short_text", "label": map[string]string{"en": "Taken over"}, "slug": "stolen-copy",
			"first_day": "2030-01-01",
		})
		return b, "application/json"
	}
	form := url.Values{"event": {fp.event.Slug}, "name": {"Intruder phone"}, "capacity": {"1"}, "registration": {"closed"},
		"partner": {"kaunas"}, "privacy_informed": {"1"}, "m0_first_name": {"Eve"}, "m0_last_name": {"Intruder"},
		"m0_email": {"eve@example.org"}, "first_name": {"Eve"}, "last_name": {"Intruder"}, "reason": {"x"},
		"signature": {"data:image/png;base64,iVBORw0KGgo="}, "segment": {"confirmed"}, "subject_en": {"Hi"}, "body_en": {"Hello"},
		"key": {"stolen"}, "kind": {"short_text"},
		"label_en": {"Taken over"}, "direction": {"down"}, "copy_slug": {"stolen-copy"}, "copy_first_day": {"2030-01-01"}}
	return []byte(form.Encode()), "application/x-www-form-urlencoded"
}

// snapshot is the first project's state that no foreign caller may change.
func snapshot(t *testing.T, f *fixture) string {
	t.Helper()
	queries := []string{
		`SELECT id, slug, capacity, registration_state, title::text FROM events`,
		`SELECT p::text FROM projects p`,
		`SELECT p::text FROM partners p`,
		`SELECT r::text FROM rule_sets r`,
		`SELECT id, event_id, name, revoked_at FROM devices`,
		`SELECT id, device_id, user_id, revoked_at FROM api_tokens`,
		`SELECT id, event_id, status, first_name, last_name, email, delegation_id FROM registrations`,
		`SELECT registration_id, day FROM registration_days`,
		`SELECT id, registration_id, day, undone_at FROM admissions`,
		`SELECT id, event_id FROM scans`,
		`SELECT id, event_id, partner_id FROM delegations`,
		`SELECT id, registration_id FROM signatures`,
		`SELECT id FROM tickets`,
		`SELECT id FROM outbox`,
		`SELECT id FROM messages`,
		`SELECT project_id FROM message_optouts`,
		`SELECT q::text FROM event_questions q`,
		`SELECT a::text FROM registration_answers a`,
	}
	var out strings.Builder
	for _, q := range queries {
		var sum string
		if err := f.st.DB.Get(&sum, `SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM (`+q+`) x`); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out.WriteString(sum)
	}
	return out.String()
}

func (f *fixture) sendBody(t *testing.T, c caller, method, target string, body []byte, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	return f.sendTo(t, f.srv, c, method, target, body, contentType)
}

// Every route that names an object (an event, a device, a delegation, a
// registration, a project) refuses the staff of another network, and their
// tokens, with 401, 403 or 404, and changes nothing: the object-level half of
// the access matrix.
func TestObjectAccessMatrix(t *testing.T) {
	f := newFixture(t, nil)
	o := newOther(t, f)
	fp := newFirstProject(t, f)
	before := snapshot(t, f)
	tried := 0
	for _, rt := range f.srv.Routes() {
		target, ok := objectTarget(rt, fp)
		if !ok {
			continue
		}
		body, ct := objectBody(rt, fp)
		for _, who := range foreign {
			rec := f.sendBody(t, o.callers[who], rt.Method, target, body, ct)
			tried++
			if !hidden(rec.Code, rec.Header().Get("Location")) {
				t.Errorf("%s %s as %s: status %d, want 401/403/404: %.200s", rt.Method, target, who, rec.Code, rec.Body.String())
			}
		}
	}
	if tried < 6*40 {
		t.Fatalf("only %d object requests tried", tried)
	}
	if after := snapshot(t, f); after != before {
		t.Fatal("a refused caller changed the first project's data")
	}
	t.Logf("object routes: %d requests by %d callers of another network refused", tried, len(foreign))
}

// The lists a foreign coordinator or partner sees hold nothing of the first
// project: device events, live counts, delegations and the reports' projects.
func TestObjectListsScoped(t *testing.T) {
	f := newFixture(t, nil)
	o := newOther(t, f)
	fp := newFirstProject(t, f)
	firstTitle := fp.event.Title.In("en")
	for _, c := range []struct {
		who, path string
	}{
		{"coordOther", "/admin/devices"},
		{"coordOther", "/door/live"},
		{"coordOther", "/partner/"},
		{"coordOther", "/admin/events"},
		{"coordOther", "/admin/registrations"},
		{"coordOther", "/admin/reports"},
		{"partnerOther", "/partner/"},
		{"doorOther", "/door/live"},
	} {
		rec := f.sendBody(t, o.callers[c.who], http.MethodGet, c.path, nil, "")
		if rec.Code != http.StatusOK {
			t.Errorf("%s %s: status %d", c.who, c.path, rec.Code)
			continue
		}
		body := rec.Body.String()
		if strings.Contains(body, firstTitle) || strings.Contains(body, fp.event.Slug) {
			t.Errorf("%s sees the first project's event on %s", c.who, c.path)
		}
		if c.path == "/partner/" && strings.Contains(body, "/partner/delegations/"+itoa(fp.delegation)) {
			t.Errorf("%s sees the first project's delegation", c.who)
		}
	}
	// The first project's own coordinator does see them: the check can fail.
	own := f.as(t, "coordinator")
	for _, path := range []string{"/admin/devices", "/door/live", "/partner/"} {
		rec := f.sendBody(t, own, http.MethodGet, path, nil, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fp.event.Slug) {
			t.Errorf("own coordinator on %s: %d, event missing", path, rec.Code)
		}
	}
}

// The defects as found: a project-scoped coordinator of another network
// created, paired and revoked door devices of the first project's events and
// admitted people there, by session and by scan token. The same requests by
// the first project's coordinator succeed, so the refusals are the rule's.
func TestObjectForeignCoordinatorDoor(t *testing.T) {
	f := newFixture(t, nil)
	o := newOther(t, f)
	fp := newFirstProject(t, f)
	form := func(v url.Values) []byte { return []byte(v.Encode()) }
	const formCT = "application/x-www-form-urlencoded"
	admit, _ := json.Marshal(map[string]any{"registration_id": fp.registration, "reason": "no ticket with them"})
	steps := []struct {
		name, method, target string
		body                 []byte
		ct                   string
		ok                   int
	}{
		{"create device", http.MethodPost, "/admin/devices", form(url.Values{"event": {fp.event.Slug}, "name": {"Side door"}}), formCT, http.StatusOK},
		{"pair device", http.MethodPost, "/admin/devices/" + itoa(fp.device.ID) + "/pair", form(url.Values{}), formCT, http.StatusOK},
		{"door bundle", http.MethodGet, "/api/v1/door/bundle?event=" + fp.event.Slug, nil, "", http.StatusOK},
		{"desk search", http.MethodGet, "/api/v1/door/search?event=" + fp.event.Slug + "&q=an", nil, "", http.StatusOK},
		{"live counts", http.MethodGet, "/api/v1/door/counts?event=" + fp.event.Slug, nil, "", http.StatusOK},
		{"desk admit", http.MethodPost, "/api/v1/door/admit?event=" + fp.event.Slug, admit, "application/json", http.StatusOK},
		{"delegation", http.MethodGet, "/partner/delegations/" + itoa(fp.delegation), nil, "", http.StatusOK},
		{"revoke device", http.MethodPost, "/admin/devices/" + itoa(fp.device.ID) + "/revoke", form(url.Values{}), formCT, http.StatusSeeOther},
		{"door mode", http.MethodPost, "/admin/events/" + fp.event.Slug + "/door-mode", form(url.Values{"counts_exits": {"1"}}), formCT, http.StatusSeeOther},
	}
	for _, who := range []string{"coordOther", "coordOther-scan"} {
		before := snapshot(t, f)
		for _, s := range steps {
			if who == "coordOther-scan" && !strings.HasPrefix(s.target, "/api/") {
				continue
			}
			rec := f.sendBody(t, o.callers[who], s.method, s.target, s.body, s.ct)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s: %s got %d, want 404: %.200s", who, s.name, rec.Code, rec.Body.String())
			}
		}
		if snapshot(t, f) != before {
			t.Errorf("%s changed the first project's data", who)
		}
	}
	own := f.as(t, "coordinator")
	for _, s := range steps {
		rec := f.sendBody(t, own, s.method, s.target, s.body, s.ct)
		if rec.Code != s.ok {
			t.Errorf("own coordinator: %s got %d, want %d: %.300s", s.name, rec.Code, s.ok, rec.Body.String())
		}
	}
}

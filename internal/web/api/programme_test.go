package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// progClient calls the programme API with one bearer token.
type progClient struct {
	t     *testing.T
	url   string
	token string
}

type progAnswer struct {
	status   int
	location string
	body     []byte
}

func (a progAnswer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("%s: %v", a.body, err)
	}
}

// fields are the field messages of an error answer.
func (a progAnswer) fields(t *testing.T) (code string, fields map[string]string) {
	t.Helper()
	var e struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	a.decode(t, &e)
	return e.Error.Code, e.Error.Fields
}

// do sends body (a string as is, anything else as JSON) with method to path.
func (c progClient) do(method, path string, body any) progAnswer {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.url+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return progAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: b}
}

func (c progClient) want(status int, method, path string, body any) progAnswer {
	c.t.Helper()
	a := c.do(method, path, body)
	if a.status != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, a.status, status, a.body)
	}
	return a
}

// progUser makes a user with a token of one scope.
func progUser(t *testing.T, st *store.Store, email, role, scope string, projectID *int64) (store.User, string) {
	t.Helper()
	ctx := context.Background()
	u := store.User{Email: email, Name: email, Role: role, ProjectID: projectID, Language: "en"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:8], UserID: &u.ID, Scopes: []string{scope}}
	if err := st.CreateToken(ctx, st.DB, &tok); err != nil {
		t.Fatal(err)
	}
	return u, plain
}

// progRows is a fingerprint of the programme's tables: what a refused call must
// leave as it was.
func progRows(t *testing.T, st *store.Store) string {
	t.Helper()
	var sum string
	if err := st.DB.Get(&sum, `SELECT md5(
		(SELECT coalesce(string_agg(p::text, '|' ORDER BY p.id), '') FROM projects p) ||
		(SELECT coalesce(string_agg(pt::text, '|' ORDER BY pt.id), '') FROM partners pt) ||
		(SELECT coalesce(string_agg(e::text, '|' ORDER BY e.id), '') FROM events e) ||
		(SELECT count(*)::text FROM event_days))`); err != nil {
		t.Fatal(err)
	}
	return sum
}

type progEvent struct {
	Slug                 string            `json:"slug"`
	Project              string            `json:"project"`
	Number               int               `json:"number"`
	Title                map[string]string `json:"title"`
	Description          map[string]string `json:"description"`
	City                 string            `json:"city"`
	Country              string            `json:"country"`
	Venue                string            `json:"venue"`
	FirstDay             string            `json:"first_day"`
	LastDay              string            `json:"last_day"`
	TimeZone             string            `json:"time_zone"`
	HostPartner          *string           `json:"host_partner"`
	Capacity             *int              `json:"capacity"`
	RegistrationOpensAt  *string           `json:"registration_opens_at"`
	RegistrationClosesAt *string           `json:"registration_closes_at"`
	RegistrationState    string            `json:"registration_state"`
	RegistrationOpen     bool              `json:"registration_open"`
}

// A network's programme entered through the API with an administrator's
// token: a project, two partners, an event of the past and one to come; read
// back, changed, refused when wrong; a coordinator of another project and a
// door token reach none of it.
func TestProgrammeAPI(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	st, ctx := s.Store, context.Background()
	decode, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	admin, adminTok := progUser(t, st, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	_, foreignTok := progUser(t, st, "coord@daugavpils.example", auth.RoleCoordinator, auth.ScopeReport, &decode.ID)
	_, doorTok := progUser(t, st, "door@example.org", auth.RoleDoor, auth.ScopeScan, nil)
	as := progClient{t: t, url: s.URL + "/api/v1", token: adminTok}

	// The project, its partners.
	a := as.want(http.StatusCreated, "POST", "/projects", map[string]any{
		"code": "tt-vejle", "title": map[string]string{"en": "Vejle and Cuenca: towns that keep their young", "da": "Byer der holder på de unge"},
		"acronym": "VECU", "programme": "CERV (2021-2027)", "strand": "Town-Twinning", "measure": map[string]string{"en": "Town-Twinning"},
		"grant_ref": "101-TT-VECU", "starts_on": "2019-06-01", "ends_on": "2030-12-31", "budget_eur": 30000, "rule_set": "cerv-tt"})
	var proj struct {
		Code           string            `json:"code"`
		Title          map[string]string `json:"title"`
		RuleSet        *string           `json:"rule_set"`
		BudgetEUR      *float64          `json:"budget_eur"`
		RetentionYears int               `json:"retention_years"`
	}
	a.decode(t, &proj)
	if a.location != "/api/v1/projects/tt-vejle" || proj.RuleSet == nil || *proj.RuleSet != "cerv-tt" || proj.RetentionYears != 5 || proj.Title["da"] == "" {
		t.Fatalf("project: %s (location %q)", a.body, a.location)
	}
	for _, p := range []map[string]any{
		{"slug": "vejle", "organisation": "Vejle Municipality", "city": "Vejle", "country": "dk"},
		{"slug": "cuenca", "organisation": "Cuenca province civic partner association", "city": "Cuenca", "country": "ES", "position": 1},
	} {
		as.want(http.StatusCreated, "POST", "/projects/tt-vejle/partners", p)
	}
	var partners []struct {
		Slug, Country string
		IsLead        bool `json:"is_lead"`
	}
	as.want(http.StatusOK, "GET", "/projects/tt-vejle/partners", nil).decode(t, &partners)
	if len(partners) != 2 || partners[0].Slug != "vejle" || partners[0].Country != "DK" || partners[1].Slug != "cuenca" {
		t.Fatalf("partners: %+v", partners)
	}

	// An event of the past (history entered afterwards) and one to come.
	past := map[string]any{
		"slug": "vecu-1-vejle", "title": map[string]string{"en": "Kick-off in Vejle", "da": "Opstart i Vejle"},
		"description": map[string]string{"en": "The partners meet.", "es": "Los socios se reúnen."},
		"city":        "Vejle", "country": "DK", "venue": "Vejle Town Hall", "address": "Skolegade 1, 7100 Vejle",
		"first_day": "2019-09-10", "last_day": "2019-09-12", "time_zone": "Europe/Copenhagen", "host_partner": "vejle",
		"capacity": 60, "registration_opens_at": "2019-06-01T09:00:00+02:00", "registration_closes_at": "2019-09-09T23:00",
	}
	a = as.want(http.StatusCreated, "POST", "/projects/tt-vejle/events", past)
	var ev progEvent
	a.decode(t, &ev)
	if a.location != "/api/v1/events/vecu-1-vejle" || ev.Number != 1 || ev.Project != "tt-vejle" || ev.HostPartner == nil || *ev.HostPartner != "vejle" ||
		ev.Description["es"] == "" || ev.RegistrationOpensAt == nil || *ev.RegistrationOpensAt != "2019-06-01T09:00:00+02:00" ||
		ev.RegistrationClosesAt == nil || *ev.RegistrationClosesAt != "2019-09-09T23:00:00+02:00" || ev.RegistrationState != "auto" || ev.RegistrationOpen {
		t.Fatalf("past event: %s (location %q)", a.body, a.location)
	}
	first := time.Now().AddDate(0, 2, 0)
	future := map[string]any{
		"slug": "vecu-2-cuenca", "title": map[string]string{"en": "Young people stay in Cuenca"}, "city": "Cuenca", "country": "ES",
		"first_day": first.Format("2006-01-02"), "last_day": first.AddDate(0, 0, 2).Format("2006-01-02"),
		"time_zone": "Europe/Madrid", "host_partner": "cuenca", "registration_state": "open",
	}
	// Open registration needs the set-up checklist done: a published privacy
	// notice, a title in each language the project offers, a capacity.
	if _, f := as.want(http.StatusUnprocessableEntity, "POST", "/projects/tt-vejle/events", future).fields(t); !strings.Contains(f["registration_state"], "privacy notice") {
		t.Fatalf("opened without a notice: %v", f)
	}
	vecu, _ := st.ProjectByCode(ctx, st.DB, "tt-vejle")
	for _, lang := range []string{"en", "da"} {
		n := store.PrivacyNotice{ProjectID: vecu.ID, Version: 1, Language: lang, Body: "Notice"}
		if err := st.CreatePrivacyNotice(ctx, st.DB, &n); err != nil {
			t.Fatal(err)
		}
	}
	future["title"] = map[string]string{"en": "Young people stay in Cuenca", "da": "Unge bliver i Cuenca"}
	future["capacity"] = 80
	a = as.want(http.StatusCreated, "POST", "/projects/tt-vejle/events", future)
	a.decode(t, &ev)
	if ev.Number != 2 || ev.Capacity == nil || *ev.Capacity != 80 || !ev.RegistrationOpen {
		t.Fatalf("future event: %s", a.body)
	}
	var pastID int64
	if err := st.DB.Get(&pastID, `SELECT id FROM events WHERE slug = 'vecu-1-vejle'`); err != nil {
		t.Fatal(err)
	}
	if days, _ := st.EventDays(ctx, st.DB, pastID); len(days) != 3 {
		t.Fatalf("past event has %d days", len(days))
	}
	var events []progEvent
	as.want(http.StatusOK, "GET", "/projects/tt-vejle/events", nil).decode(t, &events)
	if len(events) != 2 || events[0].Slug != "vecu-1-vejle" || events[1].Slug != "vecu-2-cuenca" {
		t.Fatalf("events: %+v", events)
	}
	as.want(http.StatusOK, "GET", "/events/vecu-1-vejle", nil).decode(t, &ev)
	if ev.Venue != "Vejle Town Hall" || ev.FirstDay != "2019-09-10" || ev.LastDay != "2019-09-12" || *ev.Capacity != 60 || ev.Title["da"] != "Opstart i Vejle" {
		t.Fatalf("read back: %+v", ev)
	}
	// Written by the admin, as the screens write: in the audit log.
	for _, action := range []string{"project.create", "partner.create", "event.create"} {
		es, err := st.Audit(ctx, st.DB, store.AuditFilter{Action: action})
		if err != nil || len(es) == 0 || es[0].ActorUserID == nil || *es[0].ActorUserID != admin.ID {
			t.Errorf("audit %s: %+v %v", action, es, err)
		}
	}

	// Changes: only the fields named.
	a = as.want(http.StatusOK, "PATCH", "/events/vecu-1-vejle", map[string]any{"venue": "Spinderihallerne", "capacity": nil,
		"title": map[string]string{"es": "Inicio en Vejle"}})
	a.decode(t, &ev)
	if ev.Venue != "Spinderihallerne" || ev.Capacity != nil || ev.Title["es"] != "Inicio en Vejle" || ev.Title["en"] != "Kick-off in Vejle" ||
		ev.City != "Vejle" || *ev.RegistrationOpensAt != "2019-06-01T09:00:00+02:00" {
		t.Fatalf("patched event: %s", a.body)
	}
	a = as.want(http.StatusOK, "PATCH", "/projects/tt-vejle", map[string]any{"budget_eur": 32500.5, "rule_set": nil})
	a.decode(t, &proj)
	if proj.BudgetEUR == nil || *proj.BudgetEUR != 32500.5 || proj.RuleSet != nil || proj.Title["en"] == "" {
		t.Fatalf("patched project: %s", a.body)
	}
	var pt struct{ Organisation, City string }
	as.want(http.StatusOK, "PATCH", "/projects/tt-vejle/partners/cuenca", map[string]any{"organisation": "Diputación de Cuenca"}).decode(t, &pt)
	if pt.Organisation != "Diputación de Cuenca" || pt.City != "Cuenca" {
		t.Fatalf("patched partner: %+v", pt)
	}
	// The town's names per language: a key not named keeps its name; a
	// language the site does not speak is refused.
	var named struct {
		CityTexts map[string]string `json:"city_texts"`
	}
	as.want(http.StatusOK, "PATCH", "/projects/tt-vejle/partners/cuenca",
		map[string]any{"city_texts": map[string]string{"lv": "Kuenka", "lv-gen": "Kuenkas"}}).decode(t, &named)
	as.want(http.StatusOK, "PATCH", "/projects/tt-vejle/partners/cuenca",
		map[string]any{"city_texts": map[string]string{"ru": "Куэнка"}}).decode(t, &named)
	if named.CityTexts["lv-gen"] != "Kuenkas" || named.CityTexts["ru"] != "Куэнка" || len(named.CityTexts) != 3 {
		t.Fatalf("city names: %+v", named)
	}
	as.want(http.StatusOK, "PATCH", "/projects/tt-vejle/partners/cuenca", map[string]any{"organisation": "Diputación de Cuenca"}).decode(t, &named)
	if named.CityTexts["lv"] != "Kuenka" {
		t.Fatalf("a patch without names dropped them: %+v", named)
	}
	as.want(http.StatusUnprocessableEntity, "PATCH", "/projects/tt-vejle/partners/cuenca",
		map[string]any{"city_texts": map[string]string{"xx-gen": "X"}})

	// Refusals, each naming the JSON field, and nothing half-stored.
	before := progRows(t, st)
	with := func(base map[string]any, k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		m["slug"] = "vecu-9-x"
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for _, c := range []struct {
		name   string
		path   string
		body   any
		status int
		code   string
		fields []string
	}{
		{"missing fields", "/projects/tt-vejle/events", map[string]any{}, 422, "invalid",
			[]string{"slug", "title.en", "city", "country", "first_day", "last_day", "time_zone"}},
		{"bad country", "/projects/tt-vejle/events", with(past, "country", "XX"), 422, "invalid", []string{"country"}},
		{"bad time zone", "/projects/tt-vejle/events", with(past, "time_zone", "Mars/Olympus_Mons"), 422, "invalid", []string{"time_zone"}},
		{"bad date", "/projects/tt-vejle/events", with(past, "first_day", "2019-13-01"), 422, "invalid", []string{"first_day"}},
		{"bad state", "/projects/tt-vejle/events", with(past, "registration_state", "maybe"), 422, "invalid", []string{"registration_state"}},
		{"bad language", "/projects/tt-vejle/events", with(past, "title", map[string]string{"en": "X", "xx": "Y"}), 422, "invalid", []string{"title.xx"}},
		{"window backwards", "/projects/tt-vejle/events", with(past, "registration_closes_at", "2019-05-01T09:00:00Z"), 422, "invalid", []string{"registration_closes_at"}},
		{"another project's partner", "/projects/tt-vejle/events", with(past, "host_partner", "kaunas"), 422, "invalid", []string{"host_partner"}},
		{"no such partner", "/projects/tt-vejle/events", with(past, "host_partner", "nowhere"), 422, "invalid", []string{"host_partner"}},
		{"22 days", "/projects/tt-vejle/events", with(past, "last_day", "2019-10-01"), 422, "invalid", []string{"last_day"}},
		{"wrong type", "/projects/tt-vejle/events", with(past, "capacity", "sixty"), 422, "invalid", []string{"capacity"}},
		{"negative capacity", "/projects/tt-vejle/events", with(past, "capacity", -1), 422, "invalid", []string{"capacity"}},
		{"slug taken", "/projects/tt-vejle/events", past, 409, "conflict", []string{"slug"}},
		{"slug taken by another project", "/projects/tt-vejle/events", with(with(past, "slug", nil), "slug", "decode-1-daugavpils"), 409, "conflict", []string{"slug"}},
		{"number taken", "/projects/tt-vejle/events", with(past, "number", 2), 409, "conflict", []string{"number"}},
		{"unknown field", "/projects/tt-vejle/events", with(past, "frist_day", "2019-09-10"), 400, "unknown_field", []string{"frist_day"}},
		{"not JSON", "/projects/tt-vejle/events", `{"slug": "vecu-9-x",`, 400, "malformed_json", nil},
		{"partner slug taken", "/projects/tt-vejle/partners", map[string]any{"slug": "vejle", "organisation": "V", "city": "Vejle", "country": "DK"}, 409, "conflict", []string{"slug"}},
		{"partner country", "/projects/tt-vejle/partners", map[string]any{"slug": "x", "organisation": "X", "city": "X", "country": "EU"}, 422, "invalid", []string{"country"}},
		{"project code taken", "/projects", map[string]any{"code": "decode", "title": map[string]string{"en": "Again"}}, 409, "conflict", []string{"code"}},
		{"project unknown field", "/projects", map[string]any{"code": "p2", "title": map[string]string{"en": "P"}, "budget": 1}, 400, "unknown_field", []string{"budget"}},
		{"project rule set", "/projects", map[string]any{"code": "p2", "title": map[string]string{"en": "P"}, "rule_set": "no-such"}, 422, "invalid", []string{"rule_set"}},
	} {
		a := as.do("POST", c.path, c.body)
		code, fields := "", map[string]string(nil)
		if a.status >= 400 {
			code, fields = a.fields(t)
		}
		if a.status != c.status || code != c.code {
			t.Errorf("%s: %d %s, want %d %s: %s", c.name, a.status, code, c.status, c.code, a.body)
			continue
		}
		for _, f := range c.fields {
			if fields[f] == "" || strings.Contains(fields[f], "admin.error") {
				t.Errorf("%s: no message for %s: %s", c.name, f, a.body)
			}
		}
		if len(fields) != len(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, fields, c.fields)
		}
	}
	if a := as.do("POST", "/projects/tt-vejle/events", with(past, "last_day", "2019-10-01")); !strings.Contains(string(a.body), "An event lasts at most 21 days.") {
		t.Errorf("the 21 days message: %s", a.body)
	}
	for _, c := range []struct {
		path string
		body any
		want int
	}{
		{"/events/vecu-1-vejle", map[string]any{"host_partner": "kaunas"}, 422},
		{"/events/vecu-1-vejle", map[string]any{"first_day": "2019-09-01", "last_day": "2019-09-30"}, 422},
		{"/events/vecu-1-vejle", map[string]any{"slug": "vecu-2-cuenca"}, 409},
		{"/events/vecu-1-vejle", map[string]any{"venu": "typo"}, 400},
		{"/events/no-such-event", map[string]any{"venue": "x"}, 404},
		{"/projects/tt-vejle/partners/no-such", map[string]any{"city": "x"}, 404},
		{"/projects/no-such", map[string]any{"acronym": "x"}, 404},
	} {
		if a := as.do("PATCH", c.path, c.body); a.status != c.want {
			t.Errorf("PATCH %s %v: %d, want %d: %s", c.path, c.body, a.status, c.want, a.body)
		}
	}
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/projects/tt-vejle/events", strings.NewReader("slug=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+adminTok)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a form body: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if after := progRows(t, st); after != before {
		t.Fatal("a refused request changed the programme")
	}

	// The coordinator of another project (DeCoDe's, report token): sees only
	// DeCoDe, finds nothing of this project, changes nothing.
	foreign := progClient{t: t, url: s.URL + "/api/v1", token: foreignTok}
	var list []struct{ Code string }
	foreign.want(http.StatusOK, "GET", "/projects", nil).decode(t, &list)
	if len(list) != 1 || list[0].Code != "decode" {
		t.Fatalf("foreign coordinator's projects: %+v", list)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/projects/tt-vejle"}, {"GET", "/projects/tt-vejle/partners"}, {"GET", "/projects/tt-vejle/events"},
		{"GET", "/events/vecu-1-vejle"}, {"PATCH", "/events/vecu-1-vejle"},
	} {
		foreign.want(http.StatusNotFound, c.method, c.path, map[string]any{"venue": "Taken over"})
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/projects"}, {"PATCH", "/projects/tt-vejle"}, {"POST", "/projects/tt-vejle/partners"},
		{"PATCH", "/projects/tt-vejle/partners/vejle"}, {"POST", "/projects/tt-vejle/events"},
		{"PATCH", "/projects/decode"}, {"POST", "/projects/decode/events"},
	} {
		foreign.want(http.StatusForbidden, c.method, c.path, map[string]any{"venue": "Taken over", "acronym": "X"})
	}
	// Their own project's events they may change, as on screen.
	foreign.want(http.StatusOK, "PATCH", "/events/decode-2-kaunas", map[string]any{"venue": "Kaunas Town Hall"})
	foreign.want(http.StatusOK, "GET", "/projects/decode/events", nil)

	// The project's own coordinator sees it alone and may change its events.
	vecu, _ = st.ProjectByCode(ctx, st.DB, "tt-vejle")
	_, ownTok := progUser(t, st, "coord@vejle.example", auth.RoleCoordinator, auth.ScopeReport, &vecu.ID)
	own := progClient{t: t, url: s.URL + "/api/v1", token: ownTok}
	own.want(http.StatusOK, "GET", "/projects", nil).decode(t, &list)
	if len(list) != 1 || list[0].Code != "tt-vejle" {
		t.Fatalf("own coordinator's projects: %+v", list)
	}
	own.want(http.StatusOK, "PATCH", "/events/vecu-2-cuenca", map[string]any{"capacity": 80}).decode(t, &ev)
	if ev.Capacity == nil || *ev.Capacity != 80 {
		t.Fatalf("own coordinator's change: %+v", ev)
	}
	own.want(http.StatusNotFound, "GET", "/events/decode-2-kaunas", nil)

	// A door token, and no token at all.
	before = progRows(t, st)
	door := progClient{t: t, url: s.URL + "/api/v1", token: doorTok}
	anon := progClient{t: t, url: s.URL + "/api/v1"}
	for _, c := range []struct{ method, path string }{
		{"GET", "/projects"}, {"POST", "/projects"}, {"GET", "/projects/tt-vejle"}, {"PATCH", "/projects/tt-vejle"},
		{"GET", "/projects/tt-vejle/partners"}, {"POST", "/projects/tt-vejle/partners"}, {"PATCH", "/projects/tt-vejle/partners/vejle"},
		{"GET", "/projects/tt-vejle/events"}, {"POST", "/projects/tt-vejle/events"}, {"GET", "/events/vecu-1-vejle"},
		{"PATCH", "/events/vecu-1-vejle"},
	} {
		body := map[string]any{"venue": "Door"}
		if c.method == "GET" {
			body = nil
		}
		door.want(http.StatusForbidden, c.method, c.path, body)
		anon.want(http.StatusUnauthorized, c.method, c.path, body)
	}
	if after := progRows(t, st); after != before {
		t.Fatal("a door token changed the programme")
	}
}

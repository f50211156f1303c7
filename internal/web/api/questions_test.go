package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// The questions API, the public registration API's answers, the event
// report's counts and the copy of an event, through HTTP on a real server.
func TestQuestionsAPI(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	st, ctx := s.Store, context.Background()
	decode, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	_, adminTok := progUser(t, st, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	_, coordTok := progUser(t, st, "coord@example.org", auth.RoleCoordinator, auth.ScopeReport, &decode.ID)
	as := progClient{t: t, url: s.URL + "/api/v1", token: adminTok}
	coord := progClient{t: t, url: s.URL + "/api/v1", token: coordTok}
	anon := progClient{t: t, url: s.URL + "/api/v1"}

	evs, err := st.ProjectEvents(ctx, st.DB, decode.ID)
	if err != nil {
		t.Fatal(err)
	}
	ev := evs[len(evs)-1]
	// Opened directly: the set-up checklist would refuse an event whose dates the test clock has passed.
	if _, err := st.DB.Exec(`UPDATE events SET registration_state = 'open', capacity = NULL WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	base := "/events/" + ev.Slug + "/questions"

	as.want(http.StatusCreated, "POST", base, map[string]any{
		"key": "workshop", "kind": "single_choice", "required": true, "in_report": true,
		"label":   map[string]string{"en": "Which workshop?", "lv": "Kura darbnīca?"},
		"options": []map[string]any{{"label": map[string]string{"en": "City walk"}}, {"value": "film", "label": map[string]string{"en": "Film night"}}},
	})
	coord.want(http.StatusCreated, "POST", base, map[string]any{"key": "nights", "kind": "number", "min": 0, "max": 14,
		"label": map[string]string{"en": "Nights"}})
	// Refusals: a key taken, a built-in field's name, options on a text, no English label.
	if code, f := as.want(http.StatusConflict, "POST", base, map[string]any{"key": "nights", "kind": "number",
		"label": map[string]string{"en": "x"}}).fields(t); code == "" || f["key"] == "" {
		t.Errorf("taken key: %s %v", code, f)
	}
	for _, body := range []map[string]any{
		{"key": "email", "kind": "short_text", "label": map[string]string{"en": "x"}},
		{"key": "motto", "kind": "short_text", "label": map[string]string{"en": "x"}, "in_report": true},
		{"key": "motto", "kind": "short_text", "label": map[string]string{"lv": "x"}},
		{"key": "Bad Key", "kind": "short_text", "label": map[string]string{"en": "x"}},
		{"key": "motto", "kind": "short_text", "label": map[string]string{"en": "x\x00"}},
		{"key": "motto", "kind": "number", "label": map[string]string{"en": "x"}, "max": 1e300},
	} {
		// Hostile bytes are refused at the edge (400), the rest by the rules (422).
		if a := as.do("POST", base, body); a.status != http.StatusUnprocessableEntity && a.status != http.StatusBadRequest {
			t.Errorf("%v: status %d: %s", body, a.status, a.body)
		}
	}
	as.want(http.StatusCreated, "POST", base, map[string]any{"key": "motto", "kind": "short_text", "position": 1,
		"label": map[string]string{"en": "Your motto"}})
	var qs []struct {
		Key      string `json:"key"`
		Position int    `json:"position"`
		Options  []struct {
			Value string `json:"value"`
		} `json:"options"`
	}
	as.want(http.StatusOK, "GET", base, nil).decode(t, &qs)
	if len(qs) != 3 || qs[0].Key != "motto" || qs[1].Key != "workshop" || qs[1].Options[0].Value != "city-walk" {
		t.Fatalf("questions: %+v", qs)
	}
	as.want(http.StatusOK, "PATCH", base+"/motto", map[string]any{"required": true, "position": 3})
	as.want(http.StatusOK, "DELETE", base+"/nights", nil)
	as.want(http.StatusNotFound, "PATCH", base+"/nights", map[string]any{"required": true})
	anon.want(http.StatusUnauthorized, "GET", base, nil)

	// The public list says which questions the event asks.
	var pub []struct {
		Slug      string `json:"slug"`
		Questions []struct {
			Key      string `json:"key"`
			Required bool   `json:"required"`
		} `json:"questions"`
	}
	anon.want(http.StatusOK, "GET", "/events", nil).decode(t, &pub)
	found := false
	for _, e := range pub {
		if e.Slug == ev.Slug {
			found = len(e.Questions) == 2 && e.Questions[0].Key == "workshop" && e.Questions[1].Required
		}
	}
	if !found {
		t.Fatalf("public event list: %+v", pub)
	}

	reg := func(email string, answers map[string]any) progAnswer {
		return anon.do("POST", "/events/"+ev.Slug+"/registrations", map[string]any{
			"first_name": "Anna", "last_name": "Ozola", "email": email, "country": "LV", "city": "Daugavpils",
			"participation": "local", "privacy_notice_accepted": true, "answers": answers,
		})
	}
	if a := reg("a@example.lv", map[string]any{"workshop": "boat", "motto": "Go"}); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("option not in list: %d %s", a.status, a.body)
	} else if _, f := a.fields(t); f["answers.workshop"] == "" {
		t.Fatalf("fields: %v", f)
	}
	if a := reg("a@example.lv", map[string]any{"workshop": "film"}); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("required missing: %d %s", a.status, a.body)
	}
	if a := reg("a@example.lv", map[string]any{"workshop": map[string]any{"x": 1}, "motto": "Go"}); a.status != http.StatusBadRequest {
		t.Fatalf("object as answer: %d %s", a.status, a.body)
	}
	if n := countRows(t, st, `SELECT count(*) FROM registrations WHERE event_id = $1`, ev.ID); n != 0 {
		t.Fatalf("%d registrations stored from refused requests", n)
	}
	for _, email := range []string{"a@example.lv", "b@example.lv"} {
		if a := reg(email, map[string]any{"workshop": "film", "motto": "Together"}); a.status != http.StatusAccepted {
			t.Fatalf("register: %d %s", a.status, a.body)
		}
	}
	var rep struct {
		Questions []struct {
			Key     string `json:"key"`
			Options []struct {
				Value      string `json:"value"`
				Registered int    `json:"registered"`
			} `json:"options"`
		} `json:"questions"`
	}
	as.want(http.StatusOK, "GET", "/events/"+ev.Slug+"/report", nil).decode(t, &rep)
	if len(rep.Questions) != 1 || rep.Questions[0].Key != "workshop" || rep.Questions[0].Options[1].Value != "film" ||
		rep.Questions[0].Options[1].Registered != 2 || rep.Questions[0].Options[0].Registered != 0 {
		t.Fatalf("report questions: %+v", rep.Questions)
	}
	// An option someone chose cannot be removed.
	as.want(http.StatusUnprocessableEntity, "PATCH", base+"/workshop", map[string]any{
		"options": []map[string]any{{"value": "city-walk", "label": map[string]string{"en": "City walk"}}}})

	// The copy: same questions, days moved, no registrations, closed.
	var cp progEvent
	coord.want(http.StatusForbidden, "POST", "/events/"+ev.Slug+"/copy", map[string]any{"slug": "copy-x", "first_day": "2031-06-01"})
	as.want(http.StatusCreated, "POST", "/events/"+ev.Slug+"/copy", map[string]any{"slug": "decode-copy", "first_day": "2031-06-01"}).decode(t, &cp)
	span := ev.LastDay.Sub(ev.FirstDay)
	if cp.FirstDay != "2031-06-01" {
		t.Fatalf("copy dates: %+v", cp)
	}
	copied, err := st.EventBySlug(ctx, st.DB, "decode-copy")
	if err != nil {
		t.Fatal(err)
	}
	if copied.LastDay.Sub(copied.FirstDay) != span || copied.RegistrationState != "closed" || copied.ConfirmedCount != 0 ||
		copied.Title.In("lv") != ev.Title.In("lv") || copied.ProjectID != ev.ProjectID {
		t.Fatalf("copy: %+v", copied)
	}
	cqs, err := st.Questions(ctx, st.DB, copied.ID)
	if err != nil || len(cqs) != 2 || cqs[0].Key != "workshop" || !cqs[0].InReport {
		t.Fatalf("copied questions: %v %+v", err, cqs)
	}
	if n := countRows(t, st, `SELECT count(*) FROM registrations WHERE event_id = $1`, copied.ID); n != 0 {
		t.Fatalf("copy has %d registrations", n)
	}
	as.want(http.StatusConflict, "POST", "/events/"+ev.Slug+"/copy", map[string]any{"slug": "decode-copy", "first_day": "2031-06-01"})
	as.want(http.StatusUnprocessableEntity, "POST", "/events/"+ev.Slug+"/copy", map[string]any{"slug": "x", "first_day": "2031-02-30"})
}

func countRows(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

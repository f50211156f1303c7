package api_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// Sessions through the API: added, listed in the timetable by day and time,
// changed, deleted; refused input is a field message; a coordinator of
// another project reaches none of it (404) and changes nothing.
func TestSessionsAPI(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	st, ctx := s.Store, context.Background()
	decode, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	_, adminTok := progUser(t, st, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	_, coordTok := progUser(t, st, "coord@example.org", auth.RoleCoordinator, auth.ScopeReport, &decode.ID)
	other := store.Project{Code: "other", Title: store.Texts{"en": "Other"}}
	if err := st.CreateProject(ctx, st.DB, &other); err != nil {
		t.Fatal(err)
	}
	_, foreignTok := progUser(t, st, "coord@other.example", auth.RoleCoordinator, auth.ScopeReport, &other.ID)
	as := progClient{t: t, url: s.URL + "/api/v1", token: adminTok}
	coord := progClient{t: t, url: s.URL + "/api/v1", token: coordTok}
	foreign := progClient{t: t, url: s.URL + "/api/v1", token: foreignTok}
	anon := progClient{t: t, url: s.URL + "/api/v1"}

	ev, err := st.EventBySlug(ctx, st.DB, "decode-1-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	day1, day2 := ev.FirstDay.Format("2006-01-02"), ev.FirstDay.AddDate(0, 0, 1).Format("2006-01-02")
	base := "/events/" + ev.Slug + "/sessions"
	type session struct {
		ID       int64             `json:"id"`
		Date     string            `json:"date"`
		StartsAt string            `json:"starts_at"`
		EndsAt   string            `json:"ends_at"`
		Title    map[string]string `json:"title"`
		Room     string            `json:"room"`
		Speakers string            `json:"speakers"`
	}
	var a, b session
	created := as.want(http.StatusCreated, "POST", base, map[string]any{"date": day1, "starts_at": "11:00", "ends_at": "12:30",
		"title": map[string]string{"en": "Opening plenary", "lv": "Atklāšanas plenārsēde"}, "room": "Hall A", "speakers": "Anna Bērziņa"})
	created.decode(t, &a)
	if a.ID == 0 || created.location != "/api/v1"+base+"/"+strconv.FormatInt(a.ID, 10) || a.Title["lv"] != "Atklāšanas plenārsēde" {
		t.Fatalf("created %+v at %q", a, created.location)
	}
	coord.want(http.StatusCreated, "POST", base, map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00",
		"title": map[string]string{"en": "Registration and coffee"}}).decode(t, &b)

	// Refusals name the API's fields.
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"date": "1999-01-01", "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"en": "x"}}, "date"},
		{map[string]any{"date": day1, "starts_at": "10:00", "ends_at": "09:00", "title": map[string]string{"en": "x"}}, "ends_at"},
		{map[string]any{"date": day1, "starts_at": "9h", "ends_at": "10:00", "title": map[string]string{"en": "x"}}, "starts_at"},
		{map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"lv": "x"}}, "title.en"},
		{map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"en": strings.Repeat("x", 400)}}, "title.en"},
	} {
		if code, f := as.want(http.StatusUnprocessableEntity, "POST", base, c.body).fields(t); code == "" || f[c.field] == "" {
			t.Errorf("%v: %s %v", c.body, code, f)
		}
	}
	for _, body := range []any{
		map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"en": "x\x00"}},
		map[string]any{"date": day1, "starts_at": 9, "ends_at": "10:00", "title": map[string]string{"en": "x"}},
		map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"en": "x"}, "colour": "red"},
		"{\"date\": \"" + day1 + "\", \"title\": {\"en\": \"\xff\xfe\"}}",
	} {
		if r := as.do("POST", base, body); r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
			t.Errorf("%v: status %d: %s", body, r.status, r.body)
		}
	}

	// The timetable lists each day's sessions by time.
	type timetable struct {
		Days []struct {
			Date     string    `json:"date"`
			Sessions []session `json:"sessions"`
		} `json:"days"`
	}
	var tt timetable
	coord.want(http.StatusOK, "GET", "/events/"+ev.Slug+"/timetable", nil).decode(t, &tt)
	if len(tt.Days) < 2 || len(tt.Days[0].Sessions) != 2 || tt.Days[0].Sessions[0].ID != b.ID || tt.Days[0].Sessions[1].ID != a.ID || len(tt.Days[1].Sessions) != 0 {
		t.Fatalf("timetable: %+v", tt)
	}

	// PATCH changes what it names; a title language it names is added.
	var a2 session
	path := base + "/" + strconv.FormatInt(a.ID, 10)
	coord.want(http.StatusOK, "PATCH", path, map[string]any{"date": day2, "room": "Hall B", "title": map[string]string{"de": "Eröffnung"}}).decode(t, &a2)
	if a2.Date != day2 || a2.Room != "Hall B" || a2.StartsAt != "11:00" || a2.Speakers != "Anna Bērziņa" || a2.Title["en"] != "Opening plenary" || a2.Title["de"] != "Eröffnung" {
		t.Fatalf("patched: %+v", a2)
	}
	if _, f := as.want(http.StatusUnprocessableEntity, "PATCH", path, map[string]any{"ends_at": "10:59"}).fields(t); f["ends_at"] == "" {
		t.Errorf("end before start: %v", f)
	}

	// The event's public .ics has the session as an entry of its own, at its
	// time in the event's time zone.
	resp, err := http.Get(s.URL + "/en/events/" + ev.Slug + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantStart := "DTSTART;TZID=" + ev.TimeZone + ":" + strings.ReplaceAll(day2, "-", "") + "T110000"
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(cal), "-s"+strconv.FormatInt(a.ID, 10)+"-") ||
		!strings.Contains(string(cal), wantStart) || !strings.Contains(string(cal), "BEGIN:VTIMEZONE") {
		t.Errorf("calendar %d lacks the session (%s):\n%s", resp.StatusCode, wantStart, cal)
	}

	// Another project's coordinator: not found, nothing changed; nobody without a token.
	before := sessionsRows(t, st)
	foreign.want(http.StatusNotFound, "GET", "/events/"+ev.Slug+"/timetable", nil)
	foreign.want(http.StatusNotFound, "POST", base, map[string]any{"date": day1, "starts_at": "09:00", "ends_at": "10:00", "title": map[string]string{"en": "x"}})
	foreign.want(http.StatusNotFound, "PATCH", path, map[string]any{"room": "Cellar"})
	foreign.want(http.StatusNotFound, "DELETE", path, nil)
	anon.want(http.StatusUnauthorized, "DELETE", path, nil)
	if after := sessionsRows(t, st); after != before {
		t.Fatal("a refused call changed the sessions")
	}
	// A session is reached only through its own event.
	as.want(http.StatusNotFound, "PATCH", "/events/decode-2-kaunas/sessions/"+strconv.FormatInt(a.ID, 10), map[string]any{"room": "x"})
	as.want(http.StatusNotFound, "DELETE", base+"/nope", nil)
	// A huge number is refused at the edge or not found: never a 500.
	if r := as.do("DELETE", base+"/99999999999999999999999", nil); r.status != http.StatusNotFound && r.status != http.StatusBadRequest {
		t.Errorf("huge id: %d", r.status)
	}

	var gone session
	coord.want(http.StatusOK, "DELETE", path, nil).decode(t, &gone)
	if gone.ID != a.ID || gone.Room != "Hall B" {
		t.Errorf("deleted: %+v", gone)
	}
	as.want(http.StatusNotFound, "PATCH", path, map[string]any{"room": "x"})
}

func sessionsRows(t *testing.T, st *store.Store) string {
	t.Helper()
	var sum string
	if err := st.DB.Get(&sum, `SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY s.id), '')) FROM event_sessions s`); err != nil {
		t.Fatal(err)
	}
	return sum
}

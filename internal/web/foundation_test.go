package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// newServer serves the demo programme on a fresh database.
func newServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	return s.HTTP, s.Store
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestEventsAPI(t *testing.T) {
	ts, _ := newServer(t)
	resp, body := get(t, ts.URL+"/api/v1/events")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var events []map[string]any
	if err := json.Unmarshal([]byte(body), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) != 5 {
		t.Fatalf("%d events", len(events))
	}
	cities := []string{"Daugavpils", "Kaunas", "Palermo", "Lodz", "Daugavpils"}
	for i, e := range events {
		for _, k := range []string{"slug", "title", "city", "country", "starts_on", "ends_on", "capacity", "registration_open", "places_left"} {
			if _, ok := e[k]; !ok {
				t.Errorf("event %d lacks %q", i, k)
			}
		}
		if e["city"] != cities[i] {
			t.Errorf("event %d city %v", i, e["city"])
		}
		if title, _ := e["title"].(map[string]any); title["lv"] == "" || title["en"] == "" {
			t.Errorf("event %d title %v", i, e["title"])
		}
	}
	if events[3]["starts_on"] != programme.DemoToday(time.Now()).Format("2006-01-02") {
		t.Errorf("demo event 4 starts %v, not today", events[3]["starts_on"])
	}
}

func TestOpenAPIDocument(t *testing.T) {
	ts, _ := newServer(t)
	resp, body := get(t, ts.URL+"/api/v1/openapi.json")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
		Servers []struct{ URL string }    `json:"servers"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Paths["/events"]["get"] == nil || len(doc.Servers) != 1 {
		t.Fatalf("document: %s", body[:min(len(body), 300)])
	}
	// Every $ref must resolve inside the document.
	var raw map[string]any
	json.Unmarshal([]byte(body), &raw)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var cur any = raw
				for _, p := range parts {
					m, _ := cur.(map[string]any)
					cur = m[p]
				}
				if cur == nil {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(raw)
}

func TestHomeLanguages(t *testing.T) {
	ts, st := newServer(t)
	// The host towns, as each language names them (the partners' own data).
	var hosts []store.Partner
	if err := st.DB.Select(&hosts, `SELECT city, city_texts FROM partners WHERE city IN ('Daugavpils', 'Kaunas', 'Palermo', 'Lodz')`); err != nil || len(hosts) != 4 {
		t.Fatalf("host partners: %d %v", len(hosts), err)
	}
	cases := []struct {
		path, header, want, lang string
	}{
		{"/lv/", "", "Pasākumi", "lv"},
		{"/en/", "", "Events", "en"},
		{"/ru/", "", "Мероприятия", "ru"},
		{"/", "lv-LV,lv;q=0.9", "Pasākumi", "lv"},
		{"/", "ru", "Мероприятия", "ru"},
		{"/", "", "Events", "en"},
	}
	for _, c := range cases {
		var h []string
		if c.header != "" {
			h = []string{"Accept-Language", c.header}
		}
		resp, body := get(t, ts.URL+c.path, h...)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", c.path, resp.StatusCode)
		}
		if !strings.Contains(body, `<html lang="`+c.lang+`"`) || !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): want lang %s and %q", c.path, c.header, c.lang, c.want)
		}
		for _, h := range hosts {
			if city := h.CityIn(c.lang); !strings.Contains(body, city) {
				t.Errorf("%s: home page lacks %s", c.path, city)
			}
		}
	}
	// The cookie set by a prefix wins over Accept-Language afterwards.
	resp, _ := get(t, ts.URL+"/ru/")
	var cookie string
	for _, ck := range resp.Cookies() {
		if ck.Name == "attend_lang" {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	if cookie != "attend_lang=ru" {
		t.Fatalf("language cookie: %q", cookie)
	}
	_, body := get(t, ts.URL+"/", "Cookie", cookie, "Accept-Language", "lv")
	if !strings.Contains(body, `<html lang="ru"`) {
		t.Error("cookie should win over Accept-Language")
	}
	// The footer's privacy link leads to the project's notice.
	if resp, _ := get(t, ts.URL+"/lv/privacy"); resp.StatusCode != 302 || resp.Header.Get("Location") != "/lv/privacy/decode" {
		t.Errorf("privacy link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get(t, ts.URL+"/xx/"); resp.StatusCode != 404 {
		t.Errorf("unknown language prefix: %d", resp.StatusCode)
	}
}

func TestHealthReadyMetricsAndHeaders(t *testing.T) {
	ts, st := newServer(t)
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	if resp, body := get(t, ts.URL+"/readyz"); resp.StatusCode != 200 || !strings.Contains(body, "ready") {
		t.Fatalf("readyz: %d %s", resp.StatusCode, body)
	}
	resp, body := get(t, ts.URL+"/en/")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-ID"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=\"") {
		t.Error("page has inline script or style")
	}
	if resp, body := get(t, ts.URL+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "attend_http_requests_total") {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	// An unknown page answers 404 with the localized page and the request id.
	resp, body = get(t, ts.URL+"/lv/no-such-page")
	if resp.StatusCode != 404 || !strings.Contains(body, "Lapa nav atrasta") {
		t.Errorf("404 page: %d", resp.StatusCode)
	}
	resp, body = get(t, ts.URL+"/api/v1/no-such-thing")
	if resp.StatusCode != 404 {
		t.Errorf("api 404: %d %s", resp.StatusCode, body)
	}
	// Assets are served with their hash and cached for long.
	resp, _ = get(t, ts.URL+"/favicon.ico")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 301 || !strings.HasPrefix(loc, "/assets/") {
		t.Fatalf("favicon redirect: %d %s", resp.StatusCode, loc)
	}
	resp, _ = get(t, ts.URL+loc)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %s", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// Readiness follows the database.
	st.DB.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9998, 'future')`)
	if resp, _ := get(t, ts.URL+"/readyz"); resp.StatusCode != 503 {
		t.Errorf("readyz with an unknown migration: %d", resp.StatusCode)
	}
}

// /metrics shows the outbox (shared by all instances, read at the scrape)
// and the database pool, so that an operator sees mail piling up.
func TestMetricsOutboxAndPool(t *testing.T) {
	ts, st := newServer(t)
	ctx := context.Background()
	for i, status := range []string{"queued", "queued", "failed"} {
		if _, err := st.DB.ExecContext(ctx, `INSERT INTO outbox (message_id, kind, to_addr, language, subject, text_body, status, send_after)
			VALUES ($1, 'test', 'a@example.org', 'en', 's', 'b', $2, now() - interval '90 seconds')`, fmt.Sprintf("<m%d@test>", i), status); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := get(t, ts.URL+"/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{`attend_outbox_messages{state="queued"} 2`, `attend_outbox_messages{state="failed"} 1`,
		`attend_outbox_messages{state="sent"} 0`, `go_sql_max_open_connections{db_name="attend"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	var oldest float64
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "attend_outbox_oldest_due_seconds "); ok {
			oldest, _ = strconv.ParseFloat(v, 64)
		}
	}
	if oldest < 89 || oldest > 600 {
		t.Errorf("oldest due message waited %v s, want about 90", oldest)
	}
}

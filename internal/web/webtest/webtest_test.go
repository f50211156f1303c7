package webtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/web/webtest"
)

func TestNew(t *testing.T) {
	fixed := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	def, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	byDefault := func(*webtest.Server) string { return def.BaseURL }
	cases := []struct {
		name     string
		opt      webtest.Options
		baseURL  func(*webtest.Server) string
		events   bool
		timeouts bool
	}{
		{name: "default", opt: webtest.Options{}, baseURL: byDefault},
		{name: "self", opt: webtest.Options{SelfBaseURL: true},
			baseURL: func(s *webtest.Server) string { return s.URL }},
		{name: "env wins", opt: webtest.Options{SelfBaseURL: true, Env: map[string]string{"ATTEND_BASE_URL": "https://x.example"}},
			baseURL: func(*webtest.Server) string { return "https://x.example" }},
		{name: "demo, production", opt: webtest.Options{Seed: webtest.Demo, Now: func() time.Time { return fixed }, Production: true},
			baseURL: byDefault, events: true, timeouts: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := webtest.New(t, c.opt)
			if want := c.baseURL(s); s.Config.BaseURL != want {
				t.Errorf("base URL %q, want %q", s.Config.BaseURL, want)
			}
			if s.Config.DataDir == "" || s.Web == nil || s.Store == nil || s.HTTP.URL != s.URL {
				t.Errorf("incomplete: %+v", s)
			}
			if c.opt.Now != nil && !s.Web.Services.Now().Equal(fixed) {
				t.Errorf("clock %v, want %v", s.Web.Services.Now(), fixed)
			}
			if got := s.HTTP.Config.ReadHeaderTimeout > 0; got != c.timeouts {
				t.Errorf("production timeouts: %v", got)
			}
			var n int
			if err := s.Store.DB.Get(&n, `SELECT count(*) FROM events`); err != nil {
				t.Fatal(err)
			}
			if (n > 0) != c.events {
				t.Errorf("%d events", n)
			}
			resp, err := http.Get(s.URL + "/api/v1/events")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
			if other := s.Another(t); other == s.Web || len(other.Routes()) != len(s.Web.Routes()) {
				t.Error("Another is not a second instance of the same application")
			}
		})
	}
}

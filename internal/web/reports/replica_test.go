package reports_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// replicaEnv is setup's coordinator on a server whose reports may read from
// replicaURL ("" for none; "self" for the test's own database, a primary).
func replicaEnv(t *testing.T, replicaURL string) env {
	t.Helper()
	ctx := context.Background()
	url := dbtest.URL(t)
	st, err := store.Open(ctx, url, 10)
	if err != nil {
		t.Fatal(err)
	}
	st.Sealer = dbtest.Keyring(t)
	t.Cleanup(func() { st.Close() })
	if replicaURL == "self" {
		replicaURL = url
	}
	opt := webtest.Options{Store: st, Seed: webtest.Demo}
	if replicaURL != "" {
		opt.Env = map[string]string{"ATTEND_REPLICA_URL": replicaURL}
	}
	s := webtest.New(t, opt)
	e := env{st: st, ts: s.HTTP, now: time.Now()}
	coord := store.User{Email: "coord@example.org", Name: "Coordinator", Role: auth.RoleCoordinator, Language: "en"}
	if err := st.CreateUser(ctx, st.DB, &coord); err != nil {
		t.Fatal(err)
	}
	if e.cookie, err = auth.New(st, time.Now).StartSession(ctx, coord.ID, true); err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:8], UserID: &coord.ID, Scopes: []string{auth.ScopeReport}}
	if err := st.CreateToken(ctx, st.DB, &tok); err != nil {
		t.Fatal(err)
	}
	e.token = plain
	return e
}

// TestReportSourceFallback: the report page and API say where the figures
// were read. No replica: the primary. A replica that does not answer, or an
// address that leads to a primary, falls back to the primary with the
// reason, quickly (the probe is bounded) and without failing the report.
func TestReportSourceFallback(t *testing.T) {
	cases := []struct {
		name, replica, fallback, sentence string
	}{
		{"none", "", "", ""},
		// Nothing listens on port 1; connect_timeout bounds a filtered one.
		{"unreachable", "postgres://attend@127.0.0.1:1/attend?sslmode=disable&connect_timeout=2", "replica_unavailable",
			"The replica did not answer, so the primary was read instead."},
		{"not a standby", "self", "replica_not_standby",
			"The replica&#39;s address leads to a server that is not a replica, so the primary was read instead."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := replicaEnv(t, c.replica)
			for range 2 { // the second read finds the replica marked down, or asks again
				t0 := time.Now()
				code, body, _ := e.get(t, "/api/v1/events/decode-4-lodz/report", true)
				if code != http.StatusOK {
					t.Fatalf("report API: %d %s", code, body)
				}
				if d := time.Since(t0); d > 5*time.Second {
					t.Errorf("report took %v with a replica that does not answer", d)
				}
				var r struct {
					Source *store.ReadSource `json:"source"`
				}
				if err := json.Unmarshal(body, &r); err != nil || r.Source == nil {
					t.Fatalf("no source in the answer: %v %s", err, body)
				}
				if r.Source.Server != store.SourcePrimary || r.Source.Fallback != c.fallback || r.Source.StalenessSeconds != 0 {
					t.Errorf("source %+v, want the primary with fallback %q", *r.Source, c.fallback)
				}
				if age := time.Since(r.Source.AsOf); age < -time.Minute || age > time.Minute {
					t.Errorf("as of %v, not now", r.Source.AsOf)
				}
			}
			code, page, _ := e.get(t, "/admin/reports/events/decode-4-lodz", false)
			if code != http.StatusOK {
				t.Fatalf("page: %d", code)
			}
			html := string(page)
			if !strings.Contains(html, `data-source="primary"`) || !strings.Contains(html, "read from the primary database.") {
				t.Errorf("the page does not say the figures came from the primary")
			}
			if c.sentence != "" && !strings.Contains(html, c.sentence) {
				t.Errorf("the page does not give the reason %q", c.sentence)
			}
			if c.sentence == "" && strings.Contains(html, "instead") {
				t.Errorf("a fall-back reason without a replica")
			}
			code, page, _ = e.get(t, "/admin/reports/projects/decode", false)
			if code != http.StatusOK || !strings.Contains(string(page), `data-source="primary"`) {
				t.Errorf("project page: %d, source line missing", code)
			}
		})
	}
}

// Package webtest serves the application for tests: the real router of
// package web on a real, throwaway PostgreSQL database (see dbtest), over a
// real HTTP listener, closed when the test ends.
//
// A test that needs only the defaults writes
//
//	s := webtest.New(t, webtest.Options{})
//	resp, err := http.Get(s.URL + "/api/v1/events")
//
// and one that needs more says so in Options: the ATTEND_* configuration, a
// seeded programme, a fixed clock, the production http.Server settings.
package webtest

import (
	"context"
	"log/slog"
	"maps"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
	"github.com/decode-attend/attend/migrations"
)

// Seed is what programme.EnsureSeeded loads before the server is built.
type Seed int

const (
	// NoSeed leaves the database as migrated (or as the test left it).
	NoSeed Seed = iota
	// Programme loads the DECODE programme: project, partners, events.
	Programme
	// Demo loads the programme moved so that event 4 begins today, with
	// synthetic registrations and attendance.
	Demo
)

// Options say how a test's server differs from the default one. The zero
// value is a server on a fresh, empty migrated database, configured with no
// ATTEND_* variables but a temporary ATTEND_DATA_DIR.
type Options struct {
	// Store is the database to serve; nil opens a fresh one with dbtest.Open.
	// Pass one to add fixtures before the server is built.
	Store *store.Store

	// Seed loads the programme into the store before the server is built.
	Seed Seed

	// Env holds the ATTEND_* variables read by config.FromEnv; those not in
	// it are unset, except ATTEND_DATA_DIR, which defaults to t.TempDir().
	Env map[string]string

	// SelfBaseURL sets ATTEND_BASE_URL to the server's own URL, so that
	// links in pages and e-mails can be followed. Env takes precedence.
	SelfBaseURL bool

	// Now is the server's clock and the time the programme is seeded at;
	// nil is time.Now.
	Now func() time.Time

	// Production serves through web.Server.HTTPServer, the http.Server with
	// the timeouts and header limits of a real deployment, instead of
	// httptest's plain one.
	Production bool

	// Log receives the server's log; nil discards it.
	Log *slog.Logger
}

// Server is the application running for one test.
type Server struct {
	URL    string           // http://127.0.0.1:port, no trailing slash
	HTTP   *httptest.Server // the listener; closed when the test ends
	Web    *web.Server      // the application (router, route table)
	Store  *store.Store
	Config *config.Config
}

// New builds the application as Options say and serves it until the test
// ends. Any failure ends the test.
func New(t testing.TB, opt Options) *Server {
	t.Helper()
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	st := opt.Store
	if st == nil {
		st = dbtest.Open(t)
	}
	if opt.Seed != NoSeed {
		if _, err := programme.EnsureSeeded(context.Background(), st, opt.Seed == Demo, now()); err != nil {
			t.Fatalf("webtest: seed: %v", err)
		}
	}
	hs := httptest.NewUnstartedServer(nil)
	t.Cleanup(func() {
		if opt.Production {
			// Drop every connection first: a slow or hostile client may
			// still hold one, and httptest's Close would wait for it.
			hs.Config.Close()
		}
		hs.Close()
	})
	env := map[string]string{"ATTEND_DATA_DIR": t.TempDir()}
	if opt.SelfBaseURL {
		env["ATTEND_BASE_URL"] = "http://" + hs.Listener.Addr().String()
	}
	maps.Copy(env, opt.Env)
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("webtest: config: %v", err)
	}
	s := &Server{HTTP: hs, Web: build(t, st, cfg, opt.Now, opt.Log), Store: st, Config: cfg}
	if opt.Production {
		hs.Config = s.Web.HTTPServer()
	} else {
		hs.Config.Handler = s.Web.Handler()
	}
	hs.Start()
	s.URL = hs.URL
	return s
}

// Another builds one more instance of the application on the same store and
// configuration (with the real clock), not served: for tests of what
// instances share.
func (s *Server) Another(t testing.TB) *web.Server {
	t.Helper()
	return build(t, s.Store, s.Config, nil, nil)
}

func build(t testing.TB, st *store.Store, cfg *config.Config, now func() time.Time, log *slog.Logger) *web.Server {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatalf("webtest: i18n: %v", err)
	}
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatalf("webtest: migrations: %v", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// ATTEND_REPLICA_URL in Env: the reports read from it, as in cmd/attend.
	var replica *store.Replica
	if cfg.ReplicaURL != "" {
		if replica, err = store.OpenReplica(cfg.ReplicaURL, 2, cfg.ReplicaMaxLag); err != nil {
			t.Fatalf("webtest: replica: %v", err)
		}
		t.Cleanup(func() { replica.Close() })
	}
	svc, err := services.New(services.Deps{Store: st, Replica: replica, I18n: bundle, BaseURL: cfg.BaseURL, Now: now})
	if err != nil {
		t.Fatalf("webtest: services: %v", err)
	}
	w, err := web.New(web.Deps{Config: cfg, Store: st, I18n: bundle, Log: log,
		Version: "test", Migrations: ms, Services: svc})
	if err != nil {
		t.Fatalf("webtest: web.New: %v", err)
	}
	return w
}

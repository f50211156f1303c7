package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

// A panic in a handler gives a clean localized 500 page with the request id;
// the stack goes to the log only.
func TestPanicGivesCleanPage(t *testing.T) {
	st := dbtest.Open(t)
	cfg, _ := config.FromEnv(func(string) string { return "" })
	bundle, _ := i18n.Load()
	ms, _ := store.LoadMigrations(migrations.FS)
	var logs bytes.Buffer
	s, err := New(Deps{Config: cfg, Store: st, I18n: bundle, Log: slog.New(slog.NewTextHandler(&logs, nil)), Version: "test", Migrations: ms,
		Services: testServices(t, st, bundle)})
	if err != nil {
		t.Fatal(err)
	}
	s.engine.GET("/boom", s.language(i18n.Languages), func(c *gin.Context) { panic("secret detail") })
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/boom", nil)
	req.Header.Set("Accept-Language", "lv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("X-Request-ID")
	if resp.StatusCode != 500 || !strings.Contains(string(body), "Radās kļūda") || !strings.Contains(string(body), id) {
		t.Fatalf("status %d, body:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "secret detail") || strings.Contains(string(body), "goroutine") {
		t.Fatal("the page shows internals")
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), id) {
		t.Fatal("the log lacks the panic and the request id")
	}
}

// Serve finishes in-flight requests when its context ends.
func TestGracefulShutdown(t *testing.T) {
	st := dbtest.Open(t)
	cfg, _ := config.FromEnv(func(string) string { return "" })
	bundle, _ := i18n.Load()
	s, err := New(Deps{Config: cfg, Store: st, I18n: bundle, Log: slog.New(slog.DiscardHandler), Version: "test",
		Services: testServices(t, st, bundle)})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	s.engine.GET("/slow", func(c *gin.Context) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		c.String(200, "done")
	})
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "done" {
		t.Fatalf("in-flight request: %q", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func testServices(t *testing.T, st *store.Store, bundle *i18n.Bundle) *services.Set {
	t.Helper()
	svc, err := services.New(services.Deps{Store: st, I18n: bundle, BaseURL: "http://localhost"})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

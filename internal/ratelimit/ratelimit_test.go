package ratelimit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/ratelimit"
)

func TestFixedWindow(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	l := &ratelimit.Limiter{Store: st, Now: func() time.Time { return now }}
	rule := ratelimit.Rule{Name: "test", Limit: 3, Window: time.Minute}

	cases := []struct {
		key  string
		want error
	}{
		{"a@example.org", nil}, {"A@Example.org ", nil}, {"a@example.org", nil},
		{"a@example.org", apperr.ErrRateLimited}, // fourth hit of the same (normalised) key
		{"b@example.org", nil},                   // other keys have their own count
	}
	for i, c := range cases {
		if err := l.Allow(ctx, rule, c.key); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Fatalf("hit %d (%s): %v, want %v", i, c.key, err, c.want)
		}
	}
	now = now.Add(time.Minute) // a new window
	if err := l.Allow(ctx, rule, "a@example.org"); err != nil {
		t.Fatalf("new window: %v", err)
	}
	// No personal data in the table: keys are hashed.
	var keys []string
	if err := st.DB.Select(&keys, `SELECT key FROM rate_limits`); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, "@") {
			t.Fatalf("raw key stored: %s", k)
		}
	}
	now = now.Add(48 * time.Hour)
	if n, err := l.Prune(ctx); err != nil || n != int64(len(keys)) {
		t.Fatalf("prune: %d %v", n, err)
	}
}

// Instances share the count: concurrent hits never let more than the limit through.
func TestConcurrentHits(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	l := ratelimit.New(st, time.Now)
	rule := ratelimit.Rule{Name: "burst", Limit: 10, Window: time.Hour}
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Allow(ctx, rule, "10.0.0.1")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				allowed++
			case !errors.Is(err, apperr.ErrRateLimited):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if allowed != 10 {
		t.Fatalf("%d allowed, want 10", allowed)
	}
}

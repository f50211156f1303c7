// Package ratelimit counts requests in fixed windows kept in PostgreSQL, so
// that every application instance enforces the same limits.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// Rule is a limit: at most Limit hits per Window for one key.
type Rule struct {
	Name   string
	Limit  int
	Window time.Duration
}

// Rules used by public registration; sign-in defines its own.
var (
	RegisterPerIP     = Rule{"register-ip", 30, 10 * time.Minute}
	RegisterPerEmail  = Rule{"register-email", 5, time.Hour}
	ResendPerIP       = Rule{"resend-ip", 20, time.Hour}
	ResendPerEmail    = Rule{"resend-email", 3, time.Hour}
	SelfServicePerReg = Rule{"self-service", 30, time.Hour}
)

// Limiter checks rules against the shared counters.
type Limiter struct {
	Store *store.Store
	Now   func() time.Time
}

// New returns a limiter on st.
func New(st *store.Store, now func() time.Time) *Limiter { return &Limiter{Store: st, Now: now} }

// Allow counts one hit for key under rule and returns apperr.ErrRateLimited
// when the window's limit is exceeded. Keys (addresses, IPs) are stored only as
// hashes, so the table holds no personal data.
func (l *Limiter) Allow(ctx context.Context, rule Rule, key string) error {
	if l == nil || rule.Limit <= 0 {
		return nil
	}
	now := l.Now()
	start := now.Truncate(rule.Window)
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(key))))
	n, err := l.Store.HitRateLimit(ctx, l.Store.DB, rule.Name+":"+hex.EncodeToString(sum[:12]), start)
	if err != nil {
		return err
	}
	if n > rule.Limit {
		return apperr.ErrRateLimited
	}
	return nil
}

// Prune deletes windows older than a day (run by a periodic job).
func (l *Limiter) Prune(ctx context.Context) (int64, error) {
	return l.Store.PruneRateLimits(ctx, l.Store.DB, l.Now().Add(-24*time.Hour))
}

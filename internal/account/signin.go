package account

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
)

// Sign-in throttling. Attempts are counted per (account, client address) before
// the password is checked, and a success forgets them: after FreeFailures the
// pair waits BaseDelay, doubling with each further attempt up to MaxDelay. Only the failing address waits, so nobody can lock an account's
// owner out from elsewhere, and no lock lasts longer than MaxDelay after the
// last failure. Every address is also limited across accounts (SignInPerIP),
// which bounds guessing spread over many accounts.
const (
	FreeFailures = 5
	BaseDelay    = 30 * time.Second
	MaxDelay     = 15 * time.Minute
)

var throttlePolicy = store.SigninPolicy{Free: FreeFailures, Base: BaseDelay, Max: MaxDelay}

// SignInPerIP caps attempts from one address, whatever the account.
var SignInPerIP = ratelimit.Rule{Name: "signin-ip", Limit: 60, Window: 15 * time.Minute}

// ErrCredentials is a wrong e-mail or password (never saying which).
var ErrCredentials = &apperr.Invalid{Fields: map[string]string{"password": "account.signin.error.credentials"}}

// Throttled says how long the address must wait before trying this account again.
type Throttled struct{ Until time.Time }

func (t *Throttled) Error() string {
	return fmt.Sprintf("sign-in throttled until %s", t.Until.Format(time.RFC3339))
}

// Unwrap lets the web layer treat it as any rate limit.
func (t *Throttled) Unwrap() error { return apperr.ErrRateLimited }

// Delay is the wait after n failures in a row.
func Delay(n int) time.Duration {
	if n < FreeFailures {
		return 0
	}
	d := BaseDelay
	for i := FreeFailures; i < n && d < MaxDelay; i++ {
		d *= 2
	}
	return min(d, MaxDelay)
}

func throttleKey(email, ip string) []byte {
	h := sha256.Sum256([]byte("signin\x00" + strings.ToLower(strings.TrimSpace(email)) + "\x00" + ip))
	return h[:]
}

// dummyHash makes a sign-in for an unknown account cost as much as a real one.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("no such account")
	return h
})

// SignedIn is a successful first step: the session cookie and whether the
// second factor is still to come.
type SignedIn struct {
	Cookie   string
	NeedTOTP bool
	User     store.User
}

// SignIn checks an e-mail and password from ip and starts a session.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (SignedIn, error) {
	email = strings.TrimSpace(email)
	// Bytes that are not UTF-8 never reach the database (it refuses them).
	if email == "" || password == "" || len(email) > 254 || len(password) > MaxPassword ||
		!utf8.ValidString(email) || !utf8.ValidString(password) {
		return SignedIn{}, ErrCredentials
	}
	if err := s.Limiter.Allow(ctx, SignInPerIP, ip); err != nil {
		return SignedIn{}, err
	}
	now := s.Now().Truncate(time.Microsecond) // as PostgreSQL stores it
	key := throttleKey(email, ip)
	// Counted as a failure before the check, in the statement that allows it,
	// so parallel attempts cannot all pass a count read before any of them failed.
	t, err := s.Store.ReserveSigninAttempt(ctx, s.Store.DB, key, now, throttlePolicy)
	if errors.Is(err, store.ErrNotFound) {
		return SignedIn{}, s.throttled(ctx, key, now)
	}
	if err != nil {
		return SignedIn{}, err
	}
	u, err := s.Store.UserByEmail(ctx, s.Store.DB, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return SignedIn{}, err
	}
	known := err == nil && u.DisabledAt == nil && u.PasswordHash != ""
	hash := dummyHash()
	if known {
		hash = u.PasswordHash
	}
	if !auth.CheckPassword(hash, password) || !known {
		return SignedIn{}, s.failed(ctx, t, u, known, ip, now)
	}
	cookie, err := s.Auth.StartSession(ctx, u.ID, false)
	if err != nil {
		return SignedIn{}, err
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.ClearSigninFailures(ctx, tx, key); err != nil {
			return err
		}
		if err := s.Store.CountSigninFailure(ctx, tx, u.ID, true); err != nil {
			return err
		}
		if err := s.Store.DeleteExpiredSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{ActorLabel: fmt.Sprintf("user:%d", u.ID), Action: "auth.signin",
			ObjectType: "user", ObjectID: u.ID, IP: ip, Details: map[string]any{"second_factor_pending": u.HasTOTP}})
	})
	if err != nil {
		return SignedIn{}, err
	}
	return SignedIn{Cookie: cookie, NeedTOTP: u.HasTOTP, User: u}, nil
}

// throttled answers an attempt the throttle refused, with its wait.
func (s *Service) throttled(ctx context.Context, key []byte, now time.Time) error {
	t, err := s.Store.SigninThrottleFor(ctx, s.Store.DB, key)
	if errors.Is(err, store.ErrNotFound) { // a success cleared it meanwhile
		return &Throttled{Until: now}
	}
	if err != nil {
		return err
	}
	return &Throttled{Until: t.LastFailureAt.Add(Delay(t.Failures))}
}

// failed records a failed check (already counted by the throttle) and answers
// with ErrCredentials or the wait that now applies.
func (s *Service) failed(ctx context.Context, t store.SigninThrottle, u store.User, known bool, ip string, now time.Time) error {
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		// Records quiet for a day are worth nothing; failures are rare and
		// rate-limited, so clearing them here keeps the table small.
		if _, err := s.Store.PruneSigninThrottle(ctx, tx, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		e := audit.Entry{ActorLabel: "anonymous", Action: "auth.signin_failed", IP: ip,
			Details: map[string]any{"failures": t.Failures}}
		if known {
			e.ObjectType, e.ObjectID = "user", u.ID
			if err := s.Store.CountSigninFailure(ctx, tx, u.ID, false); err != nil {
				return err
			}
		}
		return audit.Log(ctx, s.Store, tx, e)
	})
	if err != nil {
		return err
	}
	if d := Delay(t.Failures); d > 0 {
		return &Throttled{Until: t.LastFailureAt.Add(d)}
	}
	return ErrCredentials
}

// SignOut ends one browser session.
func (s *Service) SignOut(ctx context.Context, cookie string) error {
	if cookie == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, s.Store.DB, auth.Hash(cookie))
}

// SignOutEverywhere ends every session of the caller's account.
func (s *Service) SignOutEverywhere(ctx context.Context, p *auth.Principal, ip string) error {
	if p == nil || p.UserID == 0 {
		return apperr.ErrUnauthorized
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.DeleteUserSessions(ctx, tx, p.UserID); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ip, "auth.signout_everywhere", "user", p.UserID, nil)
	})
}

// PruneThrottle forgets failure records quiet for a day and expired sessions.
func (s *Service) PruneThrottle(ctx context.Context) error {
	if _, err := s.Store.PruneSigninThrottle(ctx, s.Store.DB, s.Now().Add(-24*time.Hour)); err != nil {
		return err
	}
	_, err := s.Store.PruneSessions(ctx, s.Store.DB)
	return err
}

// Package account holds the use cases of staff accounts: signing in (with
// throttling), signing out, password reset by e-mail, the optional second
// factor, and the administrators' management of users, event grants and API
// tokens. Every change is written to the audit log in its own transaction.
package account

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
)

// Service runs the account use cases.
type Service struct {
	Store   *store.Store
	Auth    *auth.Service
	Limiter *ratelimit.Limiter
	Outbox  *outbox.Outbox
	I18n    *i18n.Bundle
	BaseURL string
	Now     func() time.Time
}

// New returns the service; now is the clock.
func New(st *store.Store, a *auth.Service, lim *ratelimit.Limiter, b *i18n.Bundle, baseURL string, now func() time.Time) *Service {
	return &Service{Store: st, Auth: a, Limiter: lim, Outbox: outbox.New(st, baseURL), I18n: b,
		BaseURL: baseURL, Now: now}
}

// Password length limits: long passphrases welcome, megabytes not (argon2 cost).
const (
	MinPassword = 10
	MaxPassword = 200
)

// GeneratePassword returns a random password of 20 letters and digits in
// groups, for accounts created without one.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// log writes an audit entry; a nil actor is the command line.
func (s *Service) log(ctx context.Context, q sqlx.ExtContext, actor *auth.Principal, ip, action, objType string, objID any, details map[string]any) error {
	e := audit.Entry{Actor: actor, Action: action, ObjectType: objType, ObjectID: objID, IP: ip, Details: details}
	if actor == nil {
		e.ActorLabel = "cli"
	}
	return audit.Log(ctx, s.Store, q, e)
}

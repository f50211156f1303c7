// Package privacy is privacy by default: versioned notices rendered from one
// template, retention with a daily job, anonymisation and erasure that keep
// every reported count, and the access export of everything held about a
// person. Every change runs in one transaction with its audit entry; audit
// details hold ids and counts only.
package privacy

import (
	"context"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
)

// Service runs the privacy use cases.
type Service struct {
	Store *store.Store
	I18n  *i18n.Bundle
	Now   func() time.Time
	// BaseURL is the site's address, for the verification links of certificates.
	BaseURL string
	// Outbox queues the erasure confirmation in the erasure's transaction.
	Outbox *outbox.Outbox
	// Promote fills seats freed by an erasure from the waiting list, in the
	// erasure's transaction; nil leaves them.
	Promote func(ctx context.Context, tx *sqlx.Tx, eventID int64) (int, error)
}

// New returns the service; baseURL names the host in Message-IDs and
// certificates' verification links; promote
// offers the seats an erasure frees to the waiting list (nil: left for the
// next cancellation or the coordinator's button).
func New(st *store.Store, bundle *i18n.Bundle, baseURL string, now func() time.Time,
	promote func(ctx context.Context, tx *sqlx.Tx, eventID int64) (int, error)) *Service {
	return &Service{Store: st, I18n: bundle, Now: now, BaseURL: baseURL, Outbox: outbox.New(st, baseURL), Promote: promote}
}

// Actor is who asks: a signed-in user, or a label ("cli", "system", "participant").
type Actor struct {
	Principal *auth.Principal
	Label     string
	IP        string
}

func (s *Service) log(ctx context.Context, q sqlx.ExtContext, a Actor, action, objType string, objID any, details map[string]any) error {
	return audit.Log(ctx, s.Store, q, audit.Entry{
		Actor: a.Principal, ActorLabel: a.Label, Action: action, ObjectType: objType, ObjectID: objID,
		IP: a.IP, Details: details,
	})
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// today is the calendar date (UTC) that retention rules compare with.
func today(now time.Time) time.Time {
	u := now.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
}

// ErrNothingHeld means no data is held about the person asked for.
var ErrNothingHeld = errors.New("nothing held about this person")

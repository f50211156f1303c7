// Package registration is the public registration use case: validate, register
// (pending until the e-mail address is confirmed), confirm or waitlist, cancel
// with automatic promotion, change days and details, re-send private links, and
// delegations registered by partner coordinators.
//
// Seats are taken when a registration is confirmed, not when the form is sent:
// pending registrations hold no seat, so unconfirmed or mistyped addresses
// cannot block places. A seat is one conditional UPDATE of the event's counter
// (and of each chosen day's), so the database decides who gets the last place.
package registration

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// ErrExpired is returned by Confirm when the confirmation link is too old; the
// registration is returned with it so that a new link can be offered.
var ErrExpired = errors.New("confirmation link expired")

// Service runs the registration use cases.
type Service struct {
	Store  *store.Store
	Notify notify.Notifier
	// Tickets issues tickets without an e-mail (imports); nil where no
	// use case of the caller needs it.
	Tickets *tickets.Service
	BaseURL string // public URL for links in e-mails, without trailing slash
	Now     func() time.Time
	// ConfirmTTL is how long a confirmation link works.
	ConfirmTTL time.Duration
}

// New returns the service; now is the clock.
func New(st *store.Store, n notify.Notifier, t *tickets.Service, baseURL string, now func() time.Time) *Service {
	return &Service{Store: st, Notify: n, Tickets: t, BaseURL: baseURL, Now: now, ConfirmTTL: 48 * time.Hour}
}

// Result is the answer to a registration request. It is the same whether the
// address was new or already registered, so that it reveals nothing: no id,
// which would tell the two apart (the same id twice) and name the record.
type Result struct {
	Status store.Status
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newToken returns a random URL-safe token and its SHA-256 hash.
func newToken() (string, []byte) {
	var b [20]byte
	rand.Read(b[:])
	t := toLowerB32(b32.EncodeToString(b[:]))
	sum := sha256.Sum256([]byte(t))
	return t, sum[:]
}

func hashToken(t string) []byte {
	sum := sha256.Sum256([]byte(t))
	return sum[:]
}

func toLowerB32(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// notice builds what a message needs about r.
func (s *Service) notice(ctx context.Context, q sqlx.ExtContext, r store.Registration, e store.Event) (notify.Notice, error) {
	days, err := s.Store.RegistrationDays(ctx, q, r.ID)
	if err != nil {
		return notify.Notice{}, err
	}
	// An anonymised registration has no private link (and no address): its
	// notice carries none rather than failing the operation it is part of.
	u := ""
	if r.AnonymisedAt == nil {
		if u, err = s.ManageURL(ctx, q, r); err != nil {
			return notify.Notice{}, err
		}
	}
	return notify.Notice{Registration: r, Event: e, Days: days, ManageURL: u}, nil
}

// takeSeat takes a seat of the event and of each day, all or nothing.
func (s *Service) takeSeat(ctx context.Context, q sqlx.ExtContext, eventID int64, days []time.Time) (bool, error) {
	ok, err := s.Store.TakeEventSeat(ctx, q, eventID)
	if err != nil || !ok {
		return false, err
	}
	ok, err = s.Store.TakeDaySeats(ctx, q, eventID, days)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, s.Store.ReleaseEventSeat(ctx, q, eventID)
	}
	return true, nil
}

// releaseSeat gives back the seats a confirmed registration held.
func (s *Service) releaseSeat(ctx context.Context, q sqlx.ExtContext, eventID int64, days []time.Time) error {
	if err := s.Store.ReleaseEventSeat(ctx, q, eventID); err != nil {
		return err
	}
	return s.Store.ReleaseDaySeats(ctx, q, eventID, days)
}

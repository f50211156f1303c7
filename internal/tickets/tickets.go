// Package tickets issues, re-issues and revokes the signed QR tickets of
// registrations, and manages each event's signing keys.
package tickets

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
)

// Service issues tickets.
type Service struct {
	Store *store.Store
}

// New returns the service.
func New(st *store.Store) *Service { return &Service{Store: st} }

// SigningKey returns the event's newest key, creating the first one when the
// event has none. Concurrent first issues serialise on the event row and
// re-read under the lock, so the event gets one first key, not several.
func (s *Service) SigningKey(ctx context.Context, q sqlx.ExtContext, eventID int64) (store.EventKey, error) {
	k, err := s.Store.SigningEventKey(ctx, q, eventID)
	if !errors.Is(err, store.ErrNotFound) {
		return k, err
	}
	if _, err := q.ExecContext(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, eventID); err != nil {
		return store.EventKey{}, err
	}
	k, err = s.Store.SigningEventKey(ctx, q, eventID)
	if !errors.Is(err, store.ErrNotFound) {
		return k, err
	}
	return s.RotateKey(ctx, q, eventID)
}

// RotateKey adds a new signing key; older keys stay valid until retired.
func (s *Service) RotateKey(ctx context.Context, q sqlx.ExtContext, eventID int64) (store.EventKey, error) {
	// Lock the event row: key changes of one event happen one at a time.
	if _, err := q.ExecContext(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, eventID); err != nil {
		return store.EventKey{}, err
	}
	kid, pub, priv, err := ticketcode.NewKey(nil)
	if err != nil {
		return store.EventKey{}, err
	}
	k := store.EventKey{EventID: eventID, KID: kid, PublicKey: pub, PrivateKey: priv}
	if err := s.Store.CreateEventKey(ctx, q, &k); err != nil {
		return store.EventKey{}, err
	}
	return k, nil
}

// Rotate gives an event a new signing key, recorded in the audit log in the
// same transaction (actor nil for the command line). New tickets are signed
// with it; tickets issued before keep their key and stay valid until revoked,
// and the door accepts the new key at its first ticket (see checkin).
func (s *Service) Rotate(ctx context.Context, eventID int64, actor *auth.Principal, ip string) (store.EventKey, error) {
	var k store.EventKey
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if k, err = s.RotateKey(ctx, tx, eventID); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: actor, ActorLabel: "cli", Action: "event.key_rotate",
			ObjectType: "event", ObjectID: eventID, IP: ip, Details: map[string]any{"key_id": k.KID}})
	})
	return k, err
}

// PublicKeys returns an event's valid public keys by key id, for verification.
func (s *Service) PublicKeys(ctx context.Context, q sqlx.QueryerContext, eventID int64) (map[string]ed25519.PublicKey, error) {
	keys, err := s.Store.EventKeys(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ed25519.PublicKey, len(keys))
	for _, k := range keys {
		out[k.KID] = ed25519.PublicKey(k.PublicKey)
	}
	return out, nil
}

// Issue revokes the registration's live ticket, if any, and signs a new one
// for its current days. Run it in the transaction that changed the registration.
func (s *Service) Issue(ctx context.Context, q sqlx.ExtContext, registrationID int64, reason string) (store.Ticket, error) {
	r, err := s.Store.Registration(ctx, q, registrationID)
	if err != nil {
		return store.Ticket{}, err
	}
	if r.Status != store.StatusConfirmed {
		return store.Ticket{}, fmt.Errorf("issue ticket: registration %d is %s", r.ID, r.Status)
	}
	days, err := s.Store.RegistrationDays(ctx, q, r.ID)
	if err != nil {
		return store.Ticket{}, err
	}
	if len(days) == 0 {
		return store.Ticket{}, fmt.Errorf("issue ticket: registration %d has no days", r.ID)
	}
	if reason == "" {
		reason = "reissued"
	}
	if err := s.Store.RevokeTickets(ctx, q, r.ID, reason); err != nil {
		return store.Ticket{}, err
	}
	key, err := s.SigningKey(ctx, q, r.EventID)
	if err != nil {
		return store.Ticket{}, err
	}
	id, err := s.Store.ReserveTicketID(ctx, q)
	if err != nil {
		return store.Ticket{}, err
	}
	utc := make([]time.Time, len(days))
	dayStrings := make([]string, len(days))
	for i, d := range days {
		utc[i] = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		dayStrings[i] = utc[i].Format("2006-01-02")
	}
	payload, err := ticketcode.Sign(ticketcode.Claims{EventID: r.EventID, TicketID: id, KeyID: key.KID, Days: utc}, ed25519.PrivateKey(key.PrivateKey))
	if err != nil {
		return store.Ticket{}, err
	}
	t := store.Ticket{ID: id, RegistrationID: r.ID, EventID: r.EventID, Payload: payload, KeyID: key.ID, Days: dayStrings}
	// A code collision is astronomically rare; retry a few times all the same.
	for attempt := 0; attempt < 4; attempt++ {
		t.Code = ticketcode.NewCode()
		if err = s.insert(ctx, q, t); err == nil || !store.IsConstraint(err, "tickets_code_key") {
			break
		}
	}
	if err != nil {
		return store.Ticket{}, err
	}
	t.IssuedAt = time.Now()
	return t, nil
}

// insert uses a savepoint inside a transaction, so that a code collision does
// not abort the caller's transaction; outside one a plain insert is atomic.
// A savepoint that fails is an error like any other.
func (s *Service) insert(ctx context.Context, q sqlx.ExtContext, t store.Ticket) error {
	if _, inTx := q.(*sqlx.Tx); !inTx {
		return s.Store.InsertTicket(ctx, q, t)
	}
	if _, err := q.ExecContext(ctx, `SAVEPOINT ticket_insert`); err != nil {
		return fmt.Errorf("ticket savepoint: %w", err)
	}
	if err := s.Store.InsertTicket(ctx, q, t); err != nil {
		if _, rerr := q.ExecContext(ctx, `ROLLBACK TO SAVEPOINT ticket_insert`); rerr != nil {
			return errors.Join(err, fmt.Errorf("ticket savepoint rollback: %w", rerr))
		}
		return err
	}
	if _, err := q.ExecContext(ctx, `RELEASE SAVEPOINT ticket_insert`); err != nil {
		return fmt.Errorf("ticket savepoint release: %w", err)
	}
	return nil
}

// Revoke revokes a registration's live ticket (cancellation).
func (s *Service) Revoke(ctx context.Context, q sqlx.ExtContext, registrationID int64, reason string) error {
	return s.Store.RevokeTickets(ctx, q, registrationID, reason)
}

// IssueMissing gives every confirmed registration of an event a ticket (demo, imports).
func (s *Service) IssueMissing(ctx context.Context, q sqlx.ExtContext, eventID int64) (int, error) {
	ids, err := s.Store.ConfirmedWithoutTicket(ctx, q, eventID)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.Issue(ctx, q, id, "issued"); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

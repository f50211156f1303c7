package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// EventKey is one Ed25519 key pair of an event. PrivateKey is filled by
// SigningEventKey only; it is stored sealed (see secrets.go).
type EventKey struct {
	ID         int64      `db:"id"`
	EventID    int64      `db:"event_id"`
	KID        string     `db:"kid"`
	PublicKey  []byte     `db:"public_key"`
	PrivateKey []byte     `db:"-"`
	CreatedAt  time.Time  `db:"created_at"`
	RetiredAt  *time.Time `db:"retired_at"`
}

const insertEventKey = `
INSERT INTO event_keys (event_id, kid, public_key, private_key_sealed) VALUES ($1, $2, $3, $4)
RETURNING id, created_at`

// CreateEventKey stores a key pair, the private key sealed, and sets its ID.
func (s *Store) CreateEventKey(ctx context.Context, q sqlx.ExtContext, k *EventKey) error {
	if s.Sealer == nil {
		return ErrNoSecretKey
	}
	sealed := s.Sealer.Seal(k.PrivateKey, eventKeyContext(k.EventID, k.KID))
	err := q.QueryRowxContext(ctx, insertEventKey, k.EventID, k.KID, k.PublicKey, sealed).Scan(&k.ID, &k.CreatedAt)
	return wrap("create event key", err)
}

const eventKeyColumns = `id, event_id, kid, public_key, created_at, retired_at`

const selectEventKeys = `
SELECT ` + eventKeyColumns + `
FROM event_keys WHERE event_id = $1 AND retired_at IS NULL ORDER BY created_at DESC, id DESC`

// EventKeys lists an event's valid keys, newest (the signing one) first,
// without their private halves.
func (s *Store) EventKeys(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]EventKey, error) {
	var ks []EventKey
	err := sqlx.SelectContext(ctx, q, &ks, selectEventKeys, eventID)
	return ks, wrap("event keys", err)
}

const selectSigningEventKey = `
SELECT ` + eventKeyColumns + `, private_key, private_key_sealed
FROM event_keys WHERE event_id = $1 AND retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`

// SigningEventKey returns the event's newest valid key with its private key
// opened; ErrNotFound when the event has none.
func (s *Store) SigningEventKey(ctx context.Context, q sqlx.QueryerContext, eventID int64) (EventKey, error) {
	var row struct {
		EventKey
		Plain  []byte `db:"private_key"`
		Sealed []byte `db:"private_key_sealed"`
	}
	if err := sqlx.GetContext(ctx, q, &row, selectSigningEventKey, eventID); err != nil {
		return EventKey{}, wrap("signing event key", err)
	}
	k := row.EventKey
	if row.Sealed == nil {
		k.PrivateKey = row.Plain // written before secrets were sealed, until the next start with a key
		return k, nil
	}
	var err error
	k.PrivateKey, err = s.open(row.Sealed, eventKeyContext(k.EventID, k.KID))
	return k, err
}

// RetireEventKey stops accepting tickets signed by a key.
func (s *Store) RetireEventKey(ctx context.Context, q sqlx.ExecerContext, id int64) error {
	res, err := q.ExecContext(ctx, `UPDATE event_keys SET retired_at = now() WHERE id = $1 AND retired_at IS NULL`, id)
	if err != nil {
		return wrap("retire event key", err)
	}
	return mustAffect(res, "retire event key")
}

// Ticket is a signed QR ticket of a registration.
type Ticket struct {
	ID             int64          `db:"id"`
	RegistrationID int64          `db:"registration_id"`
	EventID        int64          `db:"event_id"`
	Code           string         `db:"code"`
	Payload        string         `db:"payload"`
	KeyID          int64          `db:"key_id"`
	Days           pq.StringArray `db:"days"`
	IssuedAt       time.Time      `db:"issued_at"`
	RevokedAt      *time.Time     `db:"revoked_at"`
	RevokedReason  string         `db:"revoked_reason"`
}

const ticketColumns = `id, registration_id, event_id, code, payload, key_id, days::text[] AS days, issued_at, revoked_at, revoked_reason`

// ReserveTicketID takes the next ticket id so that it can be signed into the
// payload before the row is inserted.
func (s *Store) ReserveTicketID(ctx context.Context, q sqlx.QueryerContext) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, `SELECT nextval(pg_get_serial_sequence('tickets', 'id'))`)
	return id, wrap("reserve ticket id", err)
}

const insertTicket = `
INSERT INTO tickets (id, registration_id, event_id, code, payload, key_id, days)
VALUES ($1, $2, $3, $4, $5, $6, $7::date[])`

// InsertTicket stores a ticket with a reserved id. A second live ticket for a
// registration fails with ErrConflict (tickets_one_live).
func (s *Store) InsertTicket(ctx context.Context, q sqlx.ExecerContext, t Ticket) error {
	_, err := q.ExecContext(ctx, insertTicket, t.ID, t.RegistrationID, t.EventID, t.Code, t.Payload, t.KeyID, t.Days)
	return wrap("insert ticket", err)
}

const revokeTickets = `
UPDATE tickets SET revoked_at = now(), revoked_reason = $2
WHERE registration_id = $1 AND revoked_at IS NULL`

// RevokeTickets revokes a registration's live ticket (if any).
func (s *Store) RevokeTickets(ctx context.Context, q sqlx.ExecerContext, registrationID int64, reason string) error {
	_, err := q.ExecContext(ctx, revokeTickets, registrationID, reason)
	return wrap("revoke tickets", err)
}

const selectLiveTicket = `SELECT ` + ticketColumns + ` FROM tickets WHERE registration_id = $1 AND revoked_at IS NULL`

// LiveTicket returns a registration's current ticket.
func (s *Store) LiveTicket(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (Ticket, error) {
	var t Ticket
	err := sqlx.GetContext(ctx, q, &t, selectLiveTicket, registrationID)
	return t, wrap("live ticket", err)
}

const selectTicket = `SELECT ` + ticketColumns + ` FROM tickets WHERE id = $1`

// Ticket finds a ticket by id (live or revoked).
func (s *Store) Ticket(ctx context.Context, q sqlx.QueryerContext, id int64) (Ticket, error) {
	var t Ticket
	err := sqlx.GetContext(ctx, q, &t, selectTicket, id)
	return t, wrap("ticket", err)
}

const selectTicketByCode = `SELECT ` + ticketColumns + ` FROM tickets WHERE code = $1`

// TicketByCode finds a ticket by its desk code.
func (s *Store) TicketByCode(ctx context.Context, q sqlx.QueryerContext, code string) (Ticket, error) {
	var t Ticket
	err := sqlx.GetContext(ctx, q, &t, selectTicketByCode, code)
	return t, wrap("ticket by code", err)
}

const selectRevokedTicketIDs = `SELECT id FROM tickets WHERE event_id = $1 AND revoked_at IS NOT NULL ORDER BY id`

// RevokedTicketIDs is an event's revocation list for scanners.
func (s *Store) RevokedTicketIDs(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectRevokedTicketIDs, eventID)
	return ids, wrap("revoked tickets", err)
}

const selectConfirmedWithoutTicket = `
SELECT r.id FROM registrations r
WHERE r.event_id = $1 AND r.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.registration_id = r.id AND t.revoked_at IS NULL)
ORDER BY r.id`

// ConfirmedWithoutTicket lists confirmed registrations that have no live ticket.
func (s *Store) ConfirmedWithoutTicket(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectConfirmedWithoutTicket, eventID)
	return ids, wrap("confirmed without ticket", err)
}

package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Scan is one row of the append-only scan log.
type Scan struct {
	ID             int64     `db:"id"`
	ScanID         string    `db:"scan_id"`
	EventID        int64     `db:"event_id"`
	DeviceID       *int64    `db:"device_id"`
	UserID         *int64    `db:"user_id"`
	TicketID       *int64    `db:"ticket_id"`
	RegistrationID *int64    `db:"registration_id"`
	Day            time.Time `db:"day"`
	Method         string    `db:"method"`
	Result         string    `db:"result"`
	Reason         string    `db:"reason"`
	ScannedAt      time.Time `db:"scanned_at"`
	ReceivedAt     time.Time `db:"received_at"`
	Offline        bool      `db:"offline"`
	Response       JSON      `db:"response"`
}

const insertScan = `
INSERT INTO scans (scan_id, event_id, device_id, user_id, ticket_id, registration_id, day, method, result, reason,
	scanned_at, offline, response)
VALUES (:scan_id, :event_id, :device_id, :user_id, :ticket_id, :registration_id, :day, :method, :result, :reason,
	:scanned_at, :offline, :response)
RETURNING id`

// InsertScan appends a scan to the log. A scan_id seen before gives
// ErrConflict (constraint scans_scan_id_key): the caller replays the stored answer.
func (s *Store) InsertScan(ctx context.Context, q sqlx.ExtContext, sc *Scan) error {
	if sc.Method == "" {
		sc.Method = "qr"
	}
	var h *sqlx.NamedStmt
	if hs := s.hot(); hs != nil {
		h = hs.insertScan
	}
	return wrap("insert", getHotNamed(ctx, q, h, &sc.ID, insertScan, sc))
}

const selectScanByScanID = `
SELECT id, scan_id, event_id, device_id, user_id, ticket_id, registration_id, day, method, result, reason,
	scanned_at, received_at, offline, response
FROM scans WHERE scan_id = $1`

// ScanByScanID finds a logged scan by its client id.
func (s *Store) ScanByScanID(ctx context.Context, q sqlx.QueryerContext, scanID string) (Scan, error) {
	var sc Scan
	err := sqlx.GetContext(ctx, q, &sc, selectScanByScanID, scanID)
	return sc, wrap("scan", err)
}

// DoorPerson is what the door may know about a registration: no e-mail, no phone.
type DoorPerson struct {
	RegistrationID  int64          `db:"registration_id"`
	EventID         int64          `db:"event_id"`
	Status          Status         `db:"status"`
	FirstName       string         `db:"first_name"`
	LastName        string         `db:"last_name"`
	Country         string         `db:"country"`
	City            string         `db:"city"`
	Organisation    string         `db:"organisation"`
	Partner         string         `db:"partner"`
	Days            pq.StringArray `db:"days"`
	TicketID        *int64         `db:"ticket_id"`
	Code            *string        `db:"code"`
	TicketRevokedAt *time.Time     `db:"ticket_revoked_at"`
}

const doorPersonColumns = `r.id AS registration_id, r.event_id, r.status, r.first_name, r.last_name, r.country, r.city,
	r.organisation, coalesce(p.organisation || ', ' || p.city, '') AS partner,
	coalesce((SELECT array_agg(rd.day::text ORDER BY rd.day) FROM registration_days rd WHERE rd.registration_id = r.id), '{}') AS days`

// The registration with its live ticket, if any; FOR UPDATE OF r serialises
// admissions and walk-ins on one person.
const selectRegistrationPerson = `
SELECT ` + doorPersonColumns + `, t.id AS ticket_id, t.code, t.revoked_at AS ticket_revoked_at
FROM registrations r
LEFT JOIN partners p ON p.id = r.partner_id
LEFT JOIN tickets t ON t.registration_id = r.id AND t.revoked_at IS NULL
WHERE r.id = $1 AND r.event_id = $2`

// RegistrationPerson finds a registration of an event for the desk.
func (s *Store) RegistrationPerson(ctx context.Context, q sqlx.QueryerContext, registrationID, eventID int64) (DoorPerson, error) {
	var d DoorPerson
	err := sqlx.GetContext(ctx, q, &d, selectRegistrationPerson, registrationID, eventID)
	return d, wrap("registration person", err)
}

const selectDoorList = `
SELECT ` + doorPersonColumns + `, t.id AS ticket_id, t.code, t.revoked_at AS ticket_revoked_at
FROM registrations r
JOIN tickets t ON t.registration_id = r.id AND t.revoked_at IS NULL
LEFT JOIN partners p ON p.id = r.partner_id
WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.anonymised_at IS NULL
ORDER BY r.last_name, r.first_name, r.id`

// DoorList is the offline list for an event's door: confirmed people with a live ticket.
func (s *Store) DoorList(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]DoorPerson, error) {
	var ds []DoorPerson
	err := sqlx.SelectContext(ctx, q, &ds, selectDoorList, eventID)
	return ds, wrap("door list", err)
}

// RevokedTicket is an entry of the scanners' revocation list.
type RevokedTicket struct {
	TicketID  int64 `db:"ticket_id"`
	Cancelled bool  `db:"cancelled"`
}

const selectRevokedTickets = `
SELECT t.id AS ticket_id, (r.status = 'cancelled') AS cancelled
FROM tickets t JOIN registrations r ON r.id = t.registration_id
WHERE t.event_id = $1 AND t.revoked_at IS NOT NULL ORDER BY t.id`

// RevokedTickets lists an event's revoked tickets, marking those of cancelled registrations.
func (s *Store) RevokedTickets(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]RevokedTicket, error) {
	var rs []RevokedTicket
	err := sqlx.SelectContext(ctx, q, &rs, selectRevokedTickets, eventID)
	return rs, wrap("revoked tickets", err)
}

const searchDoor = `
SELECT ` + doorPersonColumns + `, t.id AS ticket_id, t.code, t.revoked_at AS ticket_revoked_at
FROM registrations r
LEFT JOIN partners p ON p.id = r.partner_id
LEFT JOIN tickets t ON t.registration_id = r.id AND t.revoked_at IS NULL
WHERE r.event_id = $1 AND r.anonymised_at IS NULL AND r.status IN ('confirmed', 'cancelled')
  AND (lower(r.first_name || ' ' || r.last_name) LIKE $2 ESCAPE '\'
    OR lower(r.last_name || ' ' || r.first_name) LIKE $2 ESCAPE '\'
    OR lower(r.email) = $3
    OR t.code = $4)
ORDER BY r.status = 'cancelled', r.last_name, r.first_name, r.id
LIMIT $5`

// SearchDoor finds an event's registrations by part of the name, the exact
// e-mail address or the ticket code.
func (s *Store) SearchDoor(ctx context.Context, q sqlx.QueryerContext, eventID int64, text, code string, limit int) ([]DoorPerson, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(t) + "%"
	var ds []DoorPerson
	err := sqlx.SelectContext(ctx, q, &ds, searchDoor, eventID, like, t, code, limit)
	return ds, wrap("search door", err)
}

// TicketAdmission is a ticket's person, with the admission the same
// statement made (AdmissionID nil: none was made).
type TicketAdmission struct {
	DoorPerson
	AdmissionID *int64 `db:"admission_id"`
}

// The ticket's person and, if the caller may admit (its own checks of the
// signature's days passed: $9) and the registration is confirmed with this
// ticket live, the admission unless the person is already in that day: the
// door's common case in one statement instead of two.
const selectTicketAdmit = `
WITH p AS (
	SELECT ` + doorPersonColumns + `, t.id AS ticket_id, t.code, t.revoked_at AS ticket_revoked_at
	FROM tickets t JOIN registrations r ON r.id = t.registration_id
	LEFT JOIN partners p ON p.id = r.partner_id
	WHERE t.id = $1 AND t.event_id = $2
), a AS (
	INSERT INTO admissions (event_id, registration_id, day, admitted_at, device_id, user_id, scan_id, method, reason)
	SELECT $2, p.registration_id, $3, $4, $5, $6, $7, $8, ''
	FROM p WHERE $9::boolean AND p.status = 'confirmed' AND p.ticket_revoked_at IS NULL
	ON CONFLICT (registration_id, day) WHERE undone_at IS NULL DO NOTHING
	RETURNING id
)
SELECT p.*, (SELECT id FROM a) AS admission_id FROM p`

// TicketAdmit finds a ticket of an event with its registration and, when
// mayAdmit and the registration is confirmed with this ticket live, admits
// the person as a (a.ID set) unless already admitted that day: the partial
// unique index admissions_once_per_day decides, as in AdmitOnce.
func (s *Store) TicketAdmit(ctx context.Context, q sqlx.QueryerContext, ticketID int64, a *Admission, mayAdmit bool) (TicketAdmission, error) {
	if a.Method == "" {
		a.Method = "qr"
	}
	var h *sqlx.Stmt
	if hs := s.hot(); hs != nil {
		h = hs.ticketAdmit
	}
	var t TicketAdmission
	err := getHot(ctx, q, h, &t, selectTicketAdmit, ticketID, a.EventID, a.Day, a.AdmittedAt, a.DeviceID, a.UserID, a.ScanID, a.Method, mayAdmit)
	if err == nil && t.AdmissionID != nil {
		a.ID, a.RegistrationID = *t.AdmissionID, t.RegistrationID
	}
	return t, wrap("ticket admit", err)
}

// DoorScan is one online scan for the door_scan function (migration 0095).
type DoorScan struct {
	// TokenHash, when set, leaves the device's authentication to the
	// statement: the token must be a live scan token of DeviceID on EventID.
	TokenHash []byte
	DeviceID  *int64
	UserID    *int64
	EventID   int64
	// TicketID is the verified ticket's id; nil when the payload did not
	// verify, and Result, Reason say why.
	TicketID       *int64
	Result, Reason string
	Day            time.Time
	At             time.Time
	ScanID         string
	Method         string
	Today          bool // the ticket is valid on Day, an event day
	Touch          bool // write the device's last_seen_at
	// Out records an exit (the event counts exits); Exits says the event
	// counts them, so that someone back from outside is let in again.
	Out, Exits bool
	Offline    bool // queued on the device and uploaded later
	// Payload, when set, is the payload as scanned, its signature unchecked:
	// the statement goes on only when it is the ticket's stored payload
	// (which this server signed), and otherwise writes nothing and the scan
	// answers ErrUnverified. TicketID is then the id the payload names.
	Payload string
}

// ErrUnverified is the answer to a scan whose payload is not the stored
// payload of the ticket it names: nothing was written; check the signature
// and scan again without Payload.
var ErrUnverified = errors.New("door scan: payload not the ticket's own")

// payload is Payload for the statement: NULL when not set.
func (sc DoorScan) payload() *string {
	if sc.Payload == "" {
		return nil
	}
	return &sc.Payload
}

// unverified is door_scan's answer for ErrUnverified, as PostgreSQL writes it.
var unverified = []byte(`{"unverified": true}`)

const selectDoorScan = `SELECT door_scan($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

// SetCountsExits turns the counting of exits at an event's door on or off.
func (s *Store) SetCountsExits(ctx context.Context, q sqlx.ExecerContext, eventID int64, on bool) error {
	res, err := q.ExecContext(ctx, `UPDATE events SET counts_exits = $2, updated_at = now() WHERE id = $1`, eventID, on)
	if err != nil {
		return wrap("counts exits", err)
	}
	return mustAffect(res, "counts exits")
}

// DoorScanRun authenticates the device (if sc.TokenHash is set), admits the
// ticket's holder once a day and logs the scan, in one statement and its
// transaction, and returns the answer stored in the log. ok is false when the
// token is not live (nothing written). A scan id seen before fails with
// constraint scans_scan_id_key.
//
// On the store's own pool the scan joins the others arriving at the same
// time (doorbatch.go); in a transaction it runs there, alone.
func (s *Store) DoorScanRun(ctx context.Context, q sqlx.QueryerContext, sc DoorScan) (answer []byte, ok bool, err error) {
	if db, pool := q.(*sqlx.DB); pool && db == s.DB {
		return s.submitDoorScan(ctx, sc)
	}
	return s.doorScanOne(ctx, q, sc)
}

// doorScanOne runs one scan's statement in q.
func (s *Store) doorScanOne(ctx context.Context, q sqlx.QueryerContext, sc DoorScan) (answer []byte, ok bool, err error) {
	if sc.Method == "" {
		sc.Method = "qr"
	}
	var h *sqlx.Stmt
	if hs := s.hot(); hs != nil {
		h = hs.doorScan
	}
	var resp *[]byte
	err = getHot(ctx, q, h, &resp, selectDoorScan, sc.TokenHash, sc.DeviceID, sc.UserID, sc.EventID, sc.TicketID,
		sc.Result, sc.Reason, sc.Day, sc.At, sc.ScanID, sc.Method, sc.Today, sc.Touch, sc.Out, sc.Exits, sc.Offline,
		sc.payload())
	if err != nil {
		return nil, false, wrap("door scan", err)
	}
	if resp == nil {
		return nil, false, nil
	}
	if bytes.Equal(*resp, unverified) {
		return nil, false, ErrUnverified
	}
	return *resp, true, nil
}

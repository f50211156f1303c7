package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// CertificateSettings are an event's certificate options: who signs for the
// host, and whether certificates go out by themselves after the event.
type CertificateSettings struct {
	EventID           int64  `db:"event_id"`
	SignatoryName     string `db:"signatory_name"`
	SignatoryPosition string `db:"signatory_position"`
	AutoSend          bool   `db:"auto_send"`
}

// EventCertificateSettings returns an event's settings; an event never set
// has the zero settings (no signatory, sent by hand).
func (s *Store) EventCertificateSettings(ctx context.Context, q sqlx.QueryerContext, eventID int64) (CertificateSettings, error) {
	cs := CertificateSettings{EventID: eventID}
	err := sqlx.GetContext(ctx, q, &cs, `SELECT event_id, signatory_name, signatory_position, auto_send
		FROM event_certificate_settings WHERE event_id = $1`, eventID)
	if errors.Is(err, sql.ErrNoRows) {
		return CertificateSettings{EventID: eventID}, nil
	}
	return cs, wrap("certificate settings", err)
}

// SaveCertificateSettings stores an event's settings.
func (s *Store) SaveCertificateSettings(ctx context.Context, q sqlx.ExecerContext, cs CertificateSettings) error {
	_, err := q.ExecContext(ctx, `INSERT INTO event_certificate_settings (event_id, signatory_name, signatory_position, auto_send)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (event_id) DO UPDATE SET signatory_name = EXCLUDED.signatory_name,
			signatory_position = EXCLUDED.signatory_position, auto_send = EXCLUDED.auto_send, updated_at = now()`,
		cs.EventID, cs.SignatoryName, cs.SignatoryPosition, cs.AutoSend)
	return wrap("save certificate settings", err)
}

// AutoCertificateEvents lists the events set to send certificates by
// themselves whose last day is on or after since (the caller decides, on
// each event's own clock, which are over).
func (s *Store) AutoCertificateEvents(ctx context.Context, q sqlx.QueryerContext, since time.Time) ([]Event, error) {
	var es []Event
	err := sqlx.SelectContext(ctx, q, &es, `SELECT `+eventColumns+` FROM events
		WHERE id IN (SELECT event_id FROM event_certificate_settings WHERE auto_send) AND last_day >= $1
		ORDER BY id`, since)
	return es, wrap("auto certificate events", err)
}

// Certificate is an issued attendance certificate.
type Certificate struct {
	ID             int64          `db:"id"`
	RegistrationID int64          `db:"registration_id"`
	EventID        int64          `db:"event_id"`
	KeyID          int64          `db:"key_id"`
	Code           string         `db:"code"`
	Days           pq.StringArray `db:"days"` // YYYY-MM-DD
	Language       string         `db:"language"`
	IssuedAt       time.Time      `db:"issued_at"`
	MailedAt       *time.Time     `db:"mailed_at"`
}

const certificateColumns = `id, registration_id, event_id, key_id, code, days::text[] AS days, language, issued_at, mailed_at`

// CertificateCandidate is a registration of an event with the days the
// person was admitted (undone admissions do not count) and the id of their
// certificate, if one was issued.
type CertificateCandidate struct {
	RegistrationID int64          `db:"registration_id"`
	Attended       pq.StringArray `db:"attended"`
	CertificateID  *int64         `db:"certificate_id"`
}

// CertificateCandidates lists the registrations of an event that attended at
// least one day, are confirmed, and were neither erased nor anonymised.
func (s *Store) CertificateCandidates(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]CertificateCandidate, error) {
	var cs []CertificateCandidate
	err := sqlx.SelectContext(ctx, q, &cs, `
SELECT r.id AS registration_id,
	array_agg(DISTINCT a.day::text ORDER BY a.day::text) AS attended,
	c.id AS certificate_id
FROM registrations r
JOIN admissions a ON a.registration_id = r.id AND a.undone_at IS NULL
LEFT JOIN certificates c ON c.registration_id = r.id
WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.erased_at IS NULL AND r.anonymised_at IS NULL
GROUP BY r.id, c.id
ORDER BY r.id`, eventID)
	return cs, wrap("certificate candidates", err)
}

// AttendedDays are the days a registration was admitted on (not undone).
func (s *Store) AttendedDays(ctx context.Context, q sqlx.QueryerContext, registrationID int64) ([]string, error) {
	var ds pq.StringArray
	err := sqlx.GetContext(ctx, q, &ds, `SELECT COALESCE(array_agg(DISTINCT day::text ORDER BY day::text), '{}')
		FROM admissions WHERE registration_id = $1 AND undone_at IS NULL`, registrationID)
	return ds, wrap("attended days", err)
}

// ReserveCertificateID takes the next certificate id, to be signed into the
// code before the row is inserted.
func (s *Store) ReserveCertificateID(ctx context.Context, q sqlx.QueryerContext) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, `SELECT nextval(pg_get_serial_sequence('certificates', 'id'))`)
	return id, wrap("reserve certificate id", err)
}

// InsertCertificate stores a certificate with a reserved id. It reports
// false, storing nothing, when the registration already has one: the unique
// key, not a prior read, decides.
func (s *Store) InsertCertificate(ctx context.Context, q sqlx.QueryerContext, c *Certificate) (bool, error) {
	err := sqlx.GetContext(ctx, q, &c.IssuedAt, `
INSERT INTO certificates (id, registration_id, event_id, key_id, code, days, language)
VALUES ($1, $2, $3, $4, $5, $6::date[], $7)
ON CONFLICT (registration_id) DO NOTHING
RETURNING issued_at`, c.ID, c.RegistrationID, c.EventID, c.KeyID, c.Code, c.Days, c.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("insert certificate", err)
}

// MarkCertificateMailed records that the certificate was queued by e-mail.
func (s *Store) MarkCertificateMailed(ctx context.Context, q sqlx.ExecerContext, id int64) error {
	_, err := q.ExecContext(ctx, `UPDATE certificates SET mailed_at = now() WHERE id = $1`, id)
	return wrap("mark certificate mailed", err)
}

// CertificateOf returns a registration's certificate; ErrNotFound when none.
func (s *Store) CertificateOf(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (Certificate, error) {
	var c Certificate
	err := sqlx.GetContext(ctx, q, &c, `SELECT `+certificateColumns+` FROM certificates WHERE registration_id = $1`, registrationID)
	return c, wrap("certificate", err)
}

// CertificatesOf lists the certificates of several registrations.
func (s *Store) CertificatesOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Certificate, error) {
	cs := []Certificate{}
	err := sqlx.SelectContext(ctx, q, &cs, `SELECT `+certificateColumns+` FROM certificates
		WHERE registration_id = ANY($1::bigint[]) ORDER BY id`, pq.Array(ids))
	return cs, wrap("certificates of", err)
}

// CertificateCheck is what verifying a certificate reads: the row, the
// public key that signed it, and the registration's state now.
type CertificateCheck struct {
	Certificate
	PublicKey   []byte         `db:"public_key"`
	KID         string         `db:"kid"`
	Status      Status         `db:"status"`
	Erased      bool           `db:"erased"`
	Anonymised  bool           `db:"anonymised"`
	FirstName   string         `db:"first_name"`
	LastName    string         `db:"last_name"`
	AttendedNow pq.StringArray `db:"attended_now"`
}

// CertificateForCheck loads certificate id for verification; ErrNotFound
// when there is none.
func (s *Store) CertificateForCheck(ctx context.Context, q sqlx.QueryerContext, id int64) (CertificateCheck, error) {
	var c CertificateCheck
	err := sqlx.GetContext(ctx, q, &c, `
SELECT c.id, c.registration_id, c.event_id, c.key_id, c.code, c.days::text[] AS days, c.language, c.issued_at, c.mailed_at,
	k.public_key, k.kid, r.status, r.erased_at IS NOT NULL AS erased, r.anonymised_at IS NOT NULL AS anonymised,
	r.first_name, r.last_name,
	COALESCE((SELECT array_agg(DISTINCT a.day::text ORDER BY a.day::text) FROM admissions a
		WHERE a.registration_id = r.id AND a.undone_at IS NULL), '{}') AS attended_now
FROM certificates c
JOIN event_keys k ON k.id = c.key_id
JOIN registrations r ON r.id = c.registration_id
WHERE c.id = $1`, id)
	return c, wrap("certificate check", err)
}

// EventCertificateCount counts an event's issued certificates.
func (s *Store) EventCertificateCount(ctx context.Context, q sqlx.QueryerContext, eventID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM certificates WHERE event_id = $1`, eventID)
	return n, wrap("certificate count", err)
}

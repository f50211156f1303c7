package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Message is a coordinator's message to a segment of an event's or a
// project's participants.
type Message struct {
	ID         int64      `db:"id"`
	ProjectID  int64      `db:"project_id"`
	EventID    *int64     `db:"event_id"`
	Segment    string     `db:"segment"`
	PartnerID  *int64     `db:"partner_id"`
	Day        *time.Time `db:"day"`
	Subject    Texts      `db:"subject"`
	Body       Texts      `db:"body"`
	Essential  bool       `db:"essential"`
	Recipients int        `db:"recipients"`
	CreatedBy  *int64     `db:"created_by"`
	CreatedAt  time.Time  `db:"created_at"`
}

// SegmentQuery selects the people of a segment.
type SegmentQuery struct {
	ProjectID int64
	EventID   *int64 // nil: every event of the project
	Segment   string // registered, confirmed, waitlisted, pending, attended, no_show, partner
	PartnerID *int64 // for "partner"
	Day       *time.Time
	// Today is the current date: no-shows are counted only for events that
	// ended before it.
	Today time.Time
	// Essential messages ignore opt-outs.
	Essential bool
}

// segmentRecipients: one row per address (a person registered for several
// events of a project gets a project message once, through their latest
// registration). Erased and anonymised people never match.
const segmentRecipients = `
SELECT ` + registrationColumns + ` FROM registrations WHERE id IN (
SELECT DISTINCT ON (lower(r.email)) r.id
FROM registrations r JOIN events e ON e.id = r.event_id
WHERE e.project_id = $1 AND ($2::bigint IS NULL OR r.event_id = $2)
  AND r.email IS NOT NULL AND r.anonymised_at IS NULL AND r.erased_at IS NULL
  AND CASE $3::text
    WHEN 'registered' THEN r.status IN ('confirmed', 'waitlisted', 'pending_confirmation')
    WHEN 'confirmed' THEN r.status = 'confirmed'
    WHEN 'waitlisted' THEN r.status = 'waitlisted'
    WHEN 'pending' THEN r.status = 'pending_confirmation'
    WHEN 'attended' THEN EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id
        AND a.undone_at IS NULL AND ($5::date IS NULL OR a.day = $5))
    WHEN 'no_show' THEN r.status = 'confirmed' AND e.last_day < $6::date
        AND ($5::date IS NULL OR EXISTS (SELECT 1 FROM registration_days rd WHERE rd.registration_id = r.id AND rd.day = $5))
        AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id
        AND a.undone_at IS NULL AND ($5::date IS NULL OR a.day = $5))
    WHEN 'partner' THEN r.status <> 'cancelled' AND (r.partner_id = $4
        OR r.delegation_id IN (SELECT d.id FROM delegations d WHERE d.partner_id = $4))
    ELSE false
  END
  AND ($7 OR NOT EXISTS (SELECT 1 FROM message_optouts o WHERE o.project_id = e.project_id
        AND o.email_sha256 = sha256(convert_to(lower(r.email), 'UTF8'))))
ORDER BY lower(r.email), r.id DESC)
ORDER BY id`

// SegmentRecipients lists the registrations a message to q reaches.
func (s *Store) SegmentRecipients(ctx context.Context, q sqlx.QueryerContext, sq SegmentQuery) ([]Registration, error) {
	var rs []Registration
	err := sqlx.SelectContext(ctx, q, &rs, segmentRecipients, sq.ProjectID, sq.EventID, sq.Segment, sq.PartnerID,
		sq.Day, sq.Today.Format(time.DateOnly), sq.Essential)
	return rs, wrap("segment recipients", err)
}

const insertMessage = `
INSERT INTO messages (project_id, event_id, segment, partner_id, day, subject, body, essential, recipients, created_by)
VALUES (:project_id, :event_id, :segment, :partner_id, :day, :subject, :body, :essential, :recipients, :created_by)
RETURNING id, created_at`

// InsertMessage stores a message and sets its ID and creation time.
func (s *Store) InsertMessage(ctx context.Context, q sqlx.ExtContext, m *Message) error {
	rows, err := sqlx.NamedQueryContext(ctx, q, insertMessage, m)
	if err != nil {
		return wrap("insert message", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&m.ID, &m.CreatedAt); err != nil {
			return wrap("insert message", err)
		}
	}
	return wrap("insert message", rows.Err())
}

// InsertMessageRecipient links a message to a person and their outbox row.
func (s *Store) InsertMessageRecipient(ctx context.Context, q sqlx.ExecerContext, messageID, registrationID, outboxID int64, lang string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO message_recipients (message_id, registration_id, outbox_id, language)
VALUES ($1, $2, $3, $4)`, messageID, registrationID, outboxID, lang)
	return wrap("insert message recipient", err)
}

const messageColumns = `id, project_id, event_id, segment, partner_id, day, subject, body, essential, recipients, created_by, created_at`

// MessageByID returns one message.
func (s *Store) MessageByID(ctx context.Context, q sqlx.QueryerContext, id int64) (Message, error) {
	var m Message
	err := sqlx.GetContext(ctx, q, &m, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id)
	return m, wrap("message", err)
}

// EventMessages lists an event's messages, newest first.
func (s *Store) EventMessages(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]Message, error) {
	var ms []Message
	err := sqlx.SelectContext(ctx, q, &ms, `SELECT `+messageColumns+` FROM messages WHERE event_id = $1 ORDER BY id DESC LIMIT 200`, eventID)
	return ms, wrap("event messages", err)
}

// ProjectMessages lists a project's project-wide messages, newest first.
func (s *Store) ProjectMessages(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]Message, error) {
	var ms []Message
	err := sqlx.SelectContext(ctx, q, &ms, `SELECT `+messageColumns+` FROM messages
WHERE project_id = $1 AND event_id IS NULL ORDER BY id DESC LIMIT 200`, projectID)
	return ms, wrap("project messages", err)
}

// MessageRecipientState is one recipient of a message with its delivery state.
type MessageRecipientState struct {
	RegistrationID int64      `db:"registration_id"`
	FirstName      string     `db:"first_name"`
	LastName       string     `db:"last_name"`
	Email          string     `db:"email"`
	Language       string     `db:"language"`
	Anonymised     bool       `db:"anonymised"`
	Status         string     `db:"status"` // outbox status, "" when the outbox row is gone
	Attempts       int        `db:"attempts"`
	LastError      string     `db:"last_error"`
	SentAt         *time.Time `db:"sent_at"`
	NextAttempt    *time.Time `db:"next_attempt"`
}

// State is queued, sending, retrying (queued after a failed attempt), sent or failed.
func (r MessageRecipientState) State() string {
	if r.Status == "queued" && r.Attempts > 0 {
		return "retrying"
	}
	if r.Status == "" {
		return "unknown"
	}
	return r.Status
}

const selectMessageRecipients = `
SELECT mr.registration_id, r.first_name, r.last_name, COALESCE(r.email, '') AS email, mr.language,
	r.anonymised_at IS NOT NULL AS anonymised,
	COALESCE(o.status, '') AS status, COALESCE(o.attempts, 0) AS attempts, COALESCE(o.last_error, '') AS last_error,
	o.sent_at, CASE WHEN o.status = 'queued' THEN o.send_after END AS next_attempt
FROM message_recipients mr
JOIN registrations r ON r.id = mr.registration_id
LEFT JOIN outbox o ON o.id = mr.outbox_id
WHERE mr.message_id = $1
ORDER BY r.last_name, r.first_name, mr.registration_id`

// MessageRecipients lists a message's recipients with their delivery state.
func (s *Store) MessageRecipients(ctx context.Context, q sqlx.QueryerContext, messageID int64) ([]MessageRecipientState, error) {
	var rs []MessageRecipientState
	err := sqlx.SelectContext(ctx, q, &rs, selectMessageRecipients, messageID)
	return rs, wrap("message recipients", err)
}

// InsertOptOut records that an address wants no more non-essential messages
// of a project (a second request changes nothing).
func (s *Store) InsertOptOut(ctx context.Context, q sqlx.ExecerContext, projectID int64, email string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO message_optouts (project_id, email_sha256)
VALUES ($1, sha256(convert_to(lower($2), 'UTF8'))) ON CONFLICT DO NOTHING`, projectID, email)
	return wrap("insert opt-out", err)
}

// OptedOut reports whether an address opted out of a project's messages.
func (s *Store) OptedOut(ctx context.Context, q sqlx.QueryerContext, projectID int64, email string) (bool, error) {
	var ok bool
	err := sqlx.GetContext(ctx, q, &ok, `SELECT EXISTS (SELECT 1 FROM message_optouts
WHERE project_id = $1 AND email_sha256 = sha256(convert_to(lower($2), 'UTF8')))`, projectID, email)
	return ok, wrap("opted out", err)
}

// ProjectFallbackLanguage is the language of a project's messages for people
// whose own language the message lacks.
func (s *Store) ProjectFallbackLanguage(ctx context.Context, q sqlx.QueryerContext, projectID int64) (string, error) {
	var l string
	err := sqlx.GetContext(ctx, q, &l, `SELECT fallback_language FROM projects WHERE id = $1`, projectID)
	return l, wrap("project fallback language", err)
}

// SetOutboxListUnsubscribe sets the one-click opt-out URL of a queued message.
func (s *Store) SetOutboxListUnsubscribe(ctx context.Context, q sqlx.ExecerContext, outboxID int64, url string) error {
	_, err := q.ExecContext(ctx, `UPDATE outbox SET list_unsubscribe = $2 WHERE id = $1`, outboxID, url)
	return wrap("set list-unsubscribe", err)
}

// OutboxListUnsubscribe returns the one-click opt-out URL of a message ("" for none).
func (s *Store) OutboxListUnsubscribe(ctx context.Context, q sqlx.QueryerContext, outboxID int64) (string, error) {
	var u string
	err := sqlx.GetContext(ctx, q, &u, `SELECT list_unsubscribe FROM outbox WHERE id = $1`, outboxID)
	return u, wrap("outbox list-unsubscribe", err)
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// OutboxMessage is one e-mail in the durable outbox.
type OutboxMessage struct {
	ID             int64      `db:"id"`
	MessageID      string     `db:"message_id"`
	Kind           string     `db:"kind"`
	RegistrationID *int64     `db:"registration_id"`
	UserID         *int64     `db:"user_id"`
	ToAddr         string     `db:"to_addr"`
	Language       string     `db:"language"`
	Subject        string     `db:"subject"`
	TextBody       string     `db:"text_body"`
	HTMLBody       string     `db:"html_body"`
	Status         string     `db:"status"`
	Attempts       int        `db:"attempts"`
	SendAfter      time.Time  `db:"send_after"`
	LockedUntil    *time.Time `db:"locked_until"`
	LastError      string     `db:"last_error"`
	CreatedAt      time.Time  `db:"created_at"`
	SentAt         *time.Time `db:"sent_at"`
	ClaimToken     *string    `db:"claim_token"`
	DedupKey       *string    `db:"dedup_key"`
	DeliveredVia   string     `db:"delivered_via"`
	// ListUnsubscribe is the one-click opt-out URL of a non-essential
	// message (RFC 8058), "" for the others.
	ListUnsubscribe string `db:"list_unsubscribe"`
}

// OutboxAttachment is a file or inline part of an outbox message.
type OutboxAttachment struct {
	ID          int64  `db:"id"`
	OutboxID    int64  `db:"outbox_id"`
	Filename    string `db:"filename"`
	ContentType string `db:"content_type"`
	ContentID   string `db:"content_id"`
	Content     []byte `db:"content"`
	Size        int    `db:"size"`
}

const outboxColumns = `id, message_id, kind, registration_id, user_id, to_addr, language, subject, text_body,
	html_body, status, attempts, send_after, locked_until, last_error, created_at, sent_at, claim_token::text AS claim_token,
	dedup_key, delivered_via, list_unsubscribe`

// outboxSummaryColumns leave the bodies out of listings.
const outboxSummaryColumns = `id, message_id, kind, registration_id, user_id, to_addr, language, subject, '' AS text_body,
	'' AS html_body, status, attempts, send_after, locked_until, last_error, created_at, sent_at, claim_token::text AS claim_token,
	dedup_key, delivered_via`

const insertOutbox = `
INSERT INTO outbox (message_id, kind, registration_id, user_id, to_addr, language, subject, text_body, html_body,
	send_after, dedup_key, list_unsubscribe)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()), $11, $12)
ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING
RETURNING id`

// InsertOutbox queues a message and sets its ID. It reports false, inserting
// nothing, when a message with the same dedup key already exists.
func (s *Store) InsertOutbox(ctx context.Context, q sqlx.QueryerContext, m *OutboxMessage) (bool, error) {
	var after *time.Time
	if !m.SendAfter.IsZero() {
		t := m.SendAfter
		after = &t
	}
	return affectedRowID(ctx, q, "insert outbox", &m.ID, insertOutbox, m.MessageID, m.Kind, m.RegistrationID, m.UserID,
		m.ToAddr, m.Language, m.Subject, m.TextBody, m.HTMLBody, after, m.DedupKey, m.ListUnsubscribe)
}

const insertOutboxAttachment = `
INSERT INTO outbox_attachments (outbox_id, filename, content_type, content_id, content)
VALUES (:outbox_id, :filename, :content_type, :content_id, :content)
RETURNING id`

// InsertOutboxAttachment stores an attachment of a queued message.
func (s *Store) InsertOutboxAttachment(ctx context.Context, q sqlx.ExtContext, a *OutboxAttachment) error {
	return namedGet(ctx, q, &a.ID, insertOutboxAttachment, a)
}

const claimOutbox = `
UPDATE outbox SET status = 'sending', attempts = attempts + 1,
	locked_until = now() + $2 * interval '1 millisecond', claim_token = $3::uuid
WHERE id IN (
	SELECT id FROM outbox
	WHERE status IN ('queued', 'sending') AND send_after <= now()
	  AND (locked_until IS NULL OR locked_until < now())
	ORDER BY send_after, id
	LIMIT $1
	FOR UPDATE SKIP LOCKED)
RETURNING ` + outboxColumns

// ClaimOutbox takes up to limit due messages for one worker: queued ones and
// those whose claim expired (a worker died). Rows locked by another worker's
// claim are skipped, so several instances never claim the same message.
func (s *Store) ClaimOutbox(ctx context.Context, q sqlx.QueryerContext, limit int, lease time.Duration, token string) ([]OutboxMessage, error) {
	var ms []OutboxMessage
	err := sqlx.SelectContext(ctx, q, &ms, claimOutbox, limit, lease.Milliseconds(), token)
	return ms, wrap("claim outbox", err)
}

const renewOutboxClaim = `
UPDATE outbox SET locked_until = now() + $3 * interval '1 millisecond'
WHERE id = $1 AND status = 'sending' AND claim_token = $2::uuid
RETURNING id`

// RenewOutboxClaim extends a claim right before sending. It reports false when
// the claim was lost (it expired and another worker took the message).
func (s *Store) RenewOutboxClaim(ctx context.Context, q sqlx.QueryerContext, id int64, token string, lease time.Duration) (bool, error) {
	return affectedRow(ctx, q, "renew outbox claim", renewOutboxClaim, id, token, lease.Milliseconds())
}

const markOutboxSent = `
UPDATE outbox SET status = 'sent', sent_at = now(), locked_until = NULL, claim_token = NULL,
	last_error = '', delivered_via = $3
WHERE id = $1 AND status = 'sending' AND claim_token = $2::uuid
RETURNING id`

// MarkOutboxSent records a delivery ("smtp" or "kept").
func (s *Store) MarkOutboxSent(ctx context.Context, q sqlx.QueryerContext, id int64, token, via string) (bool, error) {
	return affectedRow(ctx, q, "mark outbox sent", markOutboxSent, id, token, via)
}

const markOutboxRetry = `
UPDATE outbox SET status = 'queued', locked_until = NULL, claim_token = NULL, last_error = $3,
	send_after = now() + $4 * interval '1 millisecond'
WHERE id = $1 AND status = 'sending' AND claim_token = $2::uuid
RETURNING id`

// MarkOutboxRetry puts a message back in the queue after a failed attempt.
func (s *Store) MarkOutboxRetry(ctx context.Context, q sqlx.QueryerContext, id int64, token, lastError string, after time.Duration) (bool, error) {
	return affectedRow(ctx, q, "mark outbox retry", markOutboxRetry, id, token, lastError, after.Milliseconds())
}

const markOutboxFailed = `
UPDATE outbox SET status = 'failed', locked_until = NULL, claim_token = NULL, last_error = $3
WHERE id = $1 AND status = 'sending' AND claim_token = $2::uuid
RETURNING id`

// MarkOutboxFailed gives up on a message; admins see it and may retry it.
func (s *Store) MarkOutboxFailed(ctx context.Context, q sqlx.QueryerContext, id int64, token, lastError string) (bool, error) {
	return affectedRow(ctx, q, "mark outbox failed", markOutboxFailed, id, token, lastError)
}

const retryOutbox = `
UPDATE outbox SET status = 'queued', attempts = 0, send_after = now(), locked_until = NULL, claim_token = NULL
WHERE id = $1 AND status = 'failed'
RETURNING id`

// RetryOutbox queues a failed message again. ErrNotFound when there is no
// failed message with that id (already retried, or never failed).
func (s *Store) RetryOutbox(ctx context.Context, q sqlx.QueryerContext, id int64) error {
	var got int64
	return wrap("retry outbox", sqlx.GetContext(ctx, q, &got, retryOutbox, id))
}

const selectOutboxAttachments = `
SELECT id, outbox_id, filename, content_type, content_id, content, length(content) AS size
FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id`

// OutboxAttachments returns a message's attachments with their content.
func (s *Store) OutboxAttachments(ctx context.Context, q sqlx.QueryerContext, outboxID int64) ([]OutboxAttachment, error) {
	var as []OutboxAttachment
	err := sqlx.SelectContext(ctx, q, &as, selectOutboxAttachments, outboxID)
	return as, wrap("outbox attachments", err)
}

const selectOutboxAttachmentList = `
SELECT id, outbox_id, filename, content_type, content_id, ''::bytea AS content, length(content) AS size
FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id`

// OutboxAttachmentList lists a message's attachments without their content.
func (s *Store) OutboxAttachmentList(ctx context.Context, q sqlx.QueryerContext, outboxID int64) ([]OutboxAttachment, error) {
	var as []OutboxAttachment
	err := sqlx.SelectContext(ctx, q, &as, selectOutboxAttachmentList, outboxID)
	return as, wrap("outbox attachment list", err)
}

const selectOutboxAttachment = `
SELECT id, outbox_id, filename, content_type, content_id, content, length(content) AS size
FROM outbox_attachments WHERE outbox_id = $1 AND id = $2`

// OutboxAttachment returns one attachment of a message.
func (s *Store) OutboxAttachment(ctx context.Context, q sqlx.QueryerContext, outboxID, id int64) (OutboxAttachment, error) {
	var a OutboxAttachment
	err := sqlx.GetContext(ctx, q, &a, selectOutboxAttachment, outboxID, id)
	return a, wrap("outbox attachment", err)
}

const selectOutbox = `SELECT ` + outboxColumns + ` FROM outbox WHERE id = $1`

// Outbox returns one message with its bodies.
func (s *Store) Outbox(ctx context.Context, q sqlx.QueryerContext, id int64) (OutboxMessage, error) {
	var m OutboxMessage
	err := sqlx.GetContext(ctx, q, &m, selectOutbox, id)
	return m, wrap("outbox message", err)
}

// OutboxFilter narrows an outbox listing.
type OutboxFilter struct {
	Status   string // "" for any
	Via      string // "" for any, "kept" for the development mail page
	Limit    int
	BeforeID int64 // paging: messages older than this id
}

const selectOutboxList = `
SELECT ` + outboxSummaryColumns + ` FROM outbox
WHERE ($1 = '' OR status = $1) AND ($2 = '' OR delivered_via = $2) AND ($3 = 0 OR id < $3)
ORDER BY id DESC LIMIT $4`

// OutboxList lists messages newest first, without bodies.
func (s *Store) OutboxList(ctx context.Context, q sqlx.QueryerContext, f OutboxFilter) ([]OutboxMessage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var ms []OutboxMessage
	err := sqlx.SelectContext(ctx, q, &ms, selectOutboxList, f.Status, f.Via, f.BeforeID, f.Limit)
	return ms, wrap("outbox list", err)
}

// OutboxStats summarises the outbox for the admin page and metrics.
type OutboxStats struct {
	Queued  int `db:"queued"`
	Sending int `db:"sending"`
	Sent    int `db:"sent"`
	Failed  int `db:"failed"`
	Kept    int `db:"kept"`
	// OldestDue is when the longest-waiting due message was due (nil when none).
	OldestDue *time.Time `db:"oldest_due"`
}

const selectOutboxStats = `
SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
	count(*) FILTER (WHERE status = 'sending') AS sending,
	count(*) FILTER (WHERE status = 'sent') AS sent,
	count(*) FILTER (WHERE status = 'failed') AS failed,
	count(*) FILTER (WHERE delivered_via = 'kept') AS kept,
	min(send_after) FILTER (WHERE status IN ('queued', 'sending') AND send_after <= now()) AS oldest_due
FROM outbox`

// OutboxStats counts messages by state.
func (s *Store) OutboxStats(ctx context.Context, q sqlx.QueryerContext) (OutboxStats, error) {
	var st OutboxStats
	err := sqlx.GetContext(ctx, q, &st, selectOutboxStats)
	return st, wrap("outbox stats", err)
}

const selectReminderDue = `
SELECT r.id FROM registrations r
JOIN events e ON e.id = r.event_id
WHERE r.status = 'confirmed' AND r.email IS NOT NULL AND r.anonymised_at IS NULL
  AND (SELECT min(rd.day) FROM registration_days rd WHERE rd.registration_id = r.id)
      = ($1::timestamptz AT TIME ZONE e.time_zone)::date + 1
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedup_key = 'reminder:' || r.id)
  -- Someone who confirmed in the last hours has just received the ticket.
  AND (r.confirmed_at IS NULL OR r.confirmed_at < $1::timestamptz - interval '6 hours')
  AND r.id > $3
ORDER BY r.id
LIMIT $2`

// ReminderDue lists confirmed registrations whose first day is tomorrow in
// their event's time zone at now and that have no reminder queued yet, in id
// order after afterID (paging). Registrations confirmed less than six hours
// before now are left out: their ticket e-mail is the reminder.
func (s *Store) ReminderDue(ctx context.Context, q sqlx.QueryerContext, now time.Time, afterID int64, limit int) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectReminderDue, now, limit, afterID)
	return ids, wrap("reminders due", err)
}

const touchJobRun = `
INSERT INTO job_runs (job, last_run_at) VALUES ($1, now())
ON CONFLICT (job) DO UPDATE SET last_run_at = now()`

// TouchJobRun records that a scheduled job ran.
func (s *Store) TouchJobRun(ctx context.Context, q sqlx.ExecerContext, job string) error {
	_, err := q.ExecContext(ctx, touchJobRun, job)
	return wrap("touch job run", err)
}

// affectedRow runs an UPDATE ... RETURNING id and reports whether a row matched.
func affectedRow(ctx context.Context, q sqlx.QueryerContext, op, query string, args ...any) (bool, error) {
	var id int64
	return affectedRowID(ctx, q, op, &id, query, args...)
}

func affectedRowID(ctx context.Context, q sqlx.QueryerContext, op string, id *int64, query string, args ...any) (bool, error) {
	err := sqlx.GetContext(ctx, q, id, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap(op, err)
	}
	return true, nil
}

package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Anonymisation removes who a person is and keeps what the reports count.
// Every statement below works on a set of registration ids and runs in the
// caller's transaction. Kept: country, city, participation, partner, status,
// days, language, consented age band and gender, photo consent, privacy notice
// and consents, admissions, scans and signatures as facts (ids, days, times,
// results, devices). Registration ids stay: once the row holds no identity they
// are just numbers, and the reports count admissions by them.

// AnonymiseCounts says how many rows each step changed.
type AnonymiseCounts struct {
	Registrations int64 `json:"registrations"`
	Tickets       int64 `json:"tickets"`
	Signatures    int64 `json:"signatures"`
	Messages      int64 `json:"messages"`
	Attachments   int64 `json:"attachments"`
	Scans         int64 `json:"scans"`
	Admissions    int64 `json:"admissions"`
	RateLimits    int64 `json:"rate_limits"`
	Answers       int64 `json:"answers"`
}

// Add sums two counts.
func (c AnonymiseCounts) Add(o AnonymiseCounts) AnonymiseCounts {
	return AnonymiseCounts{
		Registrations: c.Registrations + o.Registrations, Tickets: c.Tickets + o.Tickets,
		Signatures: c.Signatures + o.Signatures, Messages: c.Messages + o.Messages,
		Attachments: c.Attachments + o.Attachments, Scans: c.Scans + o.Scans,
		Admissions: c.Admissions + o.Admissions, RateLimits: c.RateLimits + o.RateLimits,
		Answers: c.Answers + o.Answers,
	}
}

// Rate-limit keys may embed an address; they must go while the address is still known.
const deleteRateLimitsOfRegistrations = `
DELETE FROM rate_limits rl USING registrations r
WHERE r.id = ANY($1::bigint[]) AND r.email IS NOT NULL AND r.email <> ''
  AND position(lower(r.email) IN lower(rl.key)) > 0`

const deleteAttachmentsOfRegistrations = `
DELETE FROM outbox_attachments a USING outbox o
WHERE a.outbox_id = o.id AND o.registration_id = ANY($1::bigint[])`

// Unsent messages cannot be sent any more: they fail rather than go to ”.
const scrubOutboxOfRegistrations = `
UPDATE outbox SET to_addr = '', subject = '', text_body = '', html_body = '', last_error = '',
	status = CASE WHEN status IN ('queued', 'sending') THEN 'failed' ELSE status END,
	locked_until = NULL
WHERE registration_id = ANY($1::bigint[])
  AND (to_addr <> '' OR subject <> '' OR text_body <> '' OR html_body <> '' OR last_error <> '')`

// The signature's hash stays: the tamper-evident record of the signed list
// still verifies its row, and a hash of a deleted image identifies no one.
const scrubSignatures = `
UPDATE signatures SET image_png = ''::bytea
WHERE registration_id = ANY($1::bigint[]) AND length(image_png) > 0`

// Payload and code are bearer secrets tied to the person: they become
// placeholders that stay unique and can never verify, and live tickets are revoked.
const scrubTickets = `
UPDATE tickets SET code = 'anon-' || id, payload = 'anon-' || id,
	revoked_reason = CASE WHEN revoked_at IS NULL THEN 'anonymised' ELSE revoked_reason END,
	revoked_at = COALESCE(revoked_at, now())
WHERE registration_id = ANY($1::bigint[]) AND payload <> 'anon-' || id`

// The scan log keeps result, time, day, device and method. The replayed
// answer may name the person, so only its non-identifying keys remain; the
// staff's free-text reason goes.
const scrubScans = `
UPDATE scans s SET reason = '',
	response = CASE WHEN jsonb_typeof(s.response) <> 'object' THEN '{}'::jsonb ELSE
		COALESCE((SELECT jsonb_object_agg(k, v) FROM jsonb_each(s.response) AS j(k, v)
		WHERE k IN ('result', 'status', 'colour', 'color', 'day', 'offline', 'event_id', 'ticket_id',
			'registration_id', 'scan_id', 'already_at', 'admitted_at')
		  AND jsonb_typeof(v) IN ('string', 'number', 'boolean', 'null')
		  AND NOT (jsonb_typeof(v) = 'string' AND v #>> '{}' LIKE '%@%')), '{}'::jsonb) END
WHERE (s.registration_id = ANY($1::bigint[])
	OR s.ticket_id IN (SELECT id FROM tickets WHERE registration_id = ANY($1::bigint[])))
  AND (s.reason <> '' OR s.response <> '{}'::jsonb)`

// Answers to the event's own questions may say who someone is; only the
// options of choice questions counted in the report stay, as figures (like
// the age band).
const deleteAnswersOfRegistrations = `
DELETE FROM registration_answers a USING event_questions q
WHERE a.question_id = q.id AND a.registration_id = ANY($1::bigint[]) AND NOT q.in_report`

const scrubAdmissions = `
UPDATE admissions SET reason = '' WHERE registration_id = ANY($1::bigint[]) AND reason <> ''`

// An optional field stays only while its consent stands: the latest consent
// record of that kind, when there is one, must not be a withdrawal.
const scrubRegistrations = `
UPDATE registrations r SET first_name = '', last_name = '', email = NULL, phone = '', organisation = '',
	needs_access = '', needs_diet = '',
	age_band = CASE WHEN (SELECT c.given FROM consents c WHERE c.registration_id = r.id AND c.kind = 'age_band'
		ORDER BY c.at DESC, c.id DESC LIMIT 1) IS FALSE THEN '' ELSE r.age_band END,
	gender = CASE WHEN (SELECT c.given FROM consents c WHERE c.registration_id = r.id AND c.kind = 'gender'
		ORDER BY c.at DESC, c.id DESC LIMIT 1) IS FALSE THEN '' ELSE r.gender END,
	manage_nonce = NULL, confirm_token_hash = NULL, confirm_expires_at = NULL,
	anonymised_at = COALESCE(r.anonymised_at, now()), updated_at = now()
WHERE r.id = ANY($1::bigint[])`

// Feedback keeps its scores (the programme's evaluation) and loses its free
// text, which may name or describe the person.
const scrubFeedbackComments = `
UPDATE feedback_answers SET answers = COALESCE((SELECT jsonb_object_agg(k, v) FROM jsonb_each(answers) AS e(k, v)
	WHERE jsonb_typeof(v) = 'number'), '{}'::jsonb), updated_at = now()
WHERE registration_id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM jsonb_each(answers) AS e(k, v) WHERE jsonb_typeof(v) <> 'number')`

// AnonymiseRegistrations removes every personal field of the registrations
// and of the rows that hang off them. Run it in one transaction.
func (s *Store) AnonymiseRegistrations(ctx context.Context, q sqlx.ExtContext, ids []int64) (AnonymiseCounts, error) {
	var c AnonymiseCounts
	if len(ids) == 0 {
		return c, nil
	}
	var feedback int64 // comments scrubbed (not reported: the ratings stay)
	arr := pq.Array(ids)
	steps := []struct {
		op  string
		sql string
		n   *int64
	}{
		{"anonymise rate limits", deleteRateLimitsOfRegistrations, &c.RateLimits},
		{"anonymise attachments", deleteAttachmentsOfRegistrations, &c.Attachments},
		{"anonymise outbox", scrubOutboxOfRegistrations, &c.Messages},
		{"anonymise signatures", scrubSignatures, &c.Signatures},
		{"anonymise feedback", scrubFeedbackComments, &feedback},
		{"anonymise scans", scrubScans, &c.Scans},
		{"anonymise tickets", scrubTickets, &c.Tickets},
		{"anonymise admissions", scrubAdmissions, &c.Admissions},
		{"anonymise answers", deleteAnswersOfRegistrations, &c.Answers},
		{"anonymise registrations", scrubRegistrations, &c.Registrations},
	}
	for _, st := range steps {
		res, err := q.ExecContext(ctx, st.sql, arr)
		if err != nil {
			return c, wrap(st.op, err)
		}
		if *st.n, err = res.RowsAffected(); err != nil {
			return c, err
		}
	}
	return c, nil
}

const deleteAttachmentsToAddress = `
DELETE FROM outbox_attachments a USING outbox o
WHERE a.outbox_id = o.id AND lower(o.to_addr) = lower($1) AND o.to_addr <> '' AND NOT (o.id = ANY($2::bigint[]))`

const scrubOutboxToAddress = `
UPDATE outbox SET to_addr = '', subject = '', text_body = '', html_body = '', last_error = '',
	status = CASE WHEN status IN ('queued', 'sending') THEN 'failed' ELSE status END, locked_until = NULL
WHERE lower(to_addr) = lower($1) AND to_addr <> '' AND NOT (id = ANY($2::bigint[]))`

const deleteRateLimitsOfAddress = `DELETE FROM rate_limits WHERE position(lower($1) IN lower(key)) > 0`

// ScrubAddress removes an address from messages not tied to a registration
// (or tied to one already anonymised) and from rate-limit keys, except the
// messages in keep (the erasure confirmation itself).
func (s *Store) ScrubAddress(ctx context.Context, q sqlx.ExtContext, email string, keep []int64) (AnonymiseCounts, error) {
	var c AnonymiseCounts
	if email == "" {
		return c, nil
	}
	if keep == nil {
		keep = []int64{}
	}
	res, err := q.ExecContext(ctx, deleteAttachmentsToAddress, email, pq.Array(keep))
	if err != nil {
		return c, wrap("scrub address attachments", err)
	}
	c.Attachments, _ = res.RowsAffected()
	if res, err = q.ExecContext(ctx, scrubOutboxToAddress, email, pq.Array(keep)); err != nil {
		return c, wrap("scrub address outbox", err)
	}
	c.Messages, _ = res.RowsAffected()
	if res, err = q.ExecContext(ctx, deleteRateLimitsOfAddress, email); err != nil {
		return c, wrap("scrub address rate limits", err)
	}
	c.RateLimits, _ = res.RowsAffected()
	return c, nil
}

// Erasure confirmations keep their address only until they are sent (or
// given up); then the address and text go like every other trace.
const scrubSentMessagesOfKind = `
UPDATE outbox SET to_addr = '', subject = '', text_body = '', html_body = '', last_error = ''
WHERE kind = $1 AND status IN ('sent', 'failed') AND (to_addr <> '' OR text_body <> '' OR html_body <> '')`

// ScrubSentMessages blanks the sent or failed messages of one kind.
func (s *Store) ScrubSentMessages(ctx context.Context, q sqlx.ExecerContext, kind string) (int64, error) {
	res, err := q.ExecContext(ctx, scrubSentMessagesOfKind, kind)
	if err != nil {
		return 0, wrap("scrub sent messages", err)
	}
	return res.RowsAffected()
}

const selectProjectRegistrationIDs = `
SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
WHERE e.project_id = $1 AND r.anonymised_at IS NULL ORDER BY r.id`

// ProjectRegistrationIDs lists a project's registrations not yet anonymised.
func (s *Store) ProjectRegistrationIDs(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectProjectRegistrationIDs, projectID)
	return ids, wrap("project registration ids", err)
}

const markProjectAnonymised = `
UPDATE projects SET anonymised_at = COALESCE(anonymised_at, now()), updated_at = now() WHERE id = $1`

// MarkProjectAnonymised records that a project's personal data is gone.
func (s *Store) MarkProjectAnonymised(ctx context.Context, q sqlx.ExecerContext, projectID int64) error {
	res, err := q.ExecContext(ctx, markProjectAnonymised, projectID)
	if err != nil {
		return wrap("mark project anonymised", err)
	}
	return mustAffect(res, "mark project anonymised")
}

// Needs past their shorter retention: the event's last day plus the project's
// needs_retention_days is before today.
const purgeExpiredNeeds = `
WITH purged AS (
	UPDATE registrations r SET needs_access = '', needs_diet = '', updated_at = now()
	FROM events e JOIN projects p ON p.id = e.project_id
	WHERE r.event_id = e.id AND (r.needs_access <> '' OR r.needs_diet <> '')
	  AND e.last_day + p.needs_retention_days < $1::date
	RETURNING e.project_id
)
SELECT project_id, count(*) AS n FROM purged GROUP BY project_id ORDER BY project_id`

// NeedsPurged is how many registrations of a project lost their needs fields.
type NeedsPurged struct {
	ProjectID int64 `db:"project_id"`
	N         int64 `db:"n"`
}

// PurgeExpiredNeeds deletes dietary and accessibility needs past their retention.
func (s *Store) PurgeExpiredNeeds(ctx context.Context, q sqlx.QueryerContext, today time.Time) ([]NeedsPurged, error) {
	var out []NeedsPurged
	err := sqlx.SelectContext(ctx, q, &out, purgeExpiredNeeds, today.Format("2006-01-02"))
	return out, wrap("purge expired needs", err)
}

const markErased = `
UPDATE registrations SET erased_at = COALESCE(erased_at, now()), updated_at = now() WHERE id = ANY($1::bigint[])`

// MarkErased records that the registrations were erased at the person's
// request (as opposed to anonymised at the end of retention).
func (s *Store) MarkErased(ctx context.Context, q sqlx.ExecerContext, ids []int64) error {
	_, err := q.ExecContext(ctx, markErased, pq.Array(ids))
	return wrap("mark erased", err)
}

const selectHasAttendance = `
SELECT EXISTS (SELECT 1 FROM admissions WHERE registration_id = $1 AND undone_at IS NULL)`

// HasAttendance reports whether a registration was admitted on any day (an
// undone admission does not count, as in the reports).
func (s *Store) HasAttendance(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (bool, error) {
	var ok bool
	err := sqlx.GetContext(ctx, q, &ok, selectHasAttendance, registrationID)
	return ok, wrap("has attendance", err)
}

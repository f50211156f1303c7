package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// PrivacyNotice is one language version of a project's privacy notice.
type PrivacyNotice struct {
	ID          int64     `db:"id"`
	ProjectID   int64     `db:"project_id"`
	Version     int       `db:"version"`
	Language    string    `db:"language"`
	Body        string    `db:"body"`
	PublishedAt time.Time `db:"published_at"`
}

const insertPrivacyNotice = `
INSERT INTO privacy_notices (project_id, version, language, body) VALUES (:project_id, :version, :language, :body)
RETURNING id`

// CreatePrivacyNotice stores a notice version in one language.
func (s *Store) CreatePrivacyNotice(ctx context.Context, q sqlx.ExtContext, n *PrivacyNotice) error {
	return namedGet(ctx, q, &n.ID, insertPrivacyNotice, n)
}

// The newest version, in the language asked for or else in English.
const selectCurrentPrivacyNotice = `
SELECT id, project_id, version, language, body, published_at FROM privacy_notices
WHERE project_id = $1 AND version = (SELECT max(version) FROM privacy_notices WHERE project_id = $1)
ORDER BY (language = $2) DESC, (language = 'en') DESC, language
LIMIT 1`

// CurrentPrivacyNotice returns the project's newest notice in lang (English if missing).
func (s *Store) CurrentPrivacyNotice(ctx context.Context, q sqlx.QueryerContext, projectID int64, lang string) (PrivacyNotice, error) {
	var n PrivacyNotice
	err := sqlx.GetContext(ctx, q, &n, selectCurrentPrivacyNotice, projectID, lang)
	return n, wrap("current privacy notice", err)
}

const selectPrivacyNoticeVersions = `
SELECT version, min(published_at) AS published_at, array_agg(language ORDER BY language)::text[] AS languages,
	max(published_by) AS published_by
FROM privacy_notices WHERE project_id = $1 GROUP BY version ORDER BY version DESC`

// NoticeVersion summarises one version of a project's notice.
type NoticeVersion struct {
	Version     int            `db:"version"`
	PublishedAt time.Time      `db:"published_at"`
	Languages   pq.StringArray `db:"languages"`
	PublishedBy *int64         `db:"published_by"`
}

// PrivacyNoticeVersions lists a project's notice versions, newest first.
func (s *Store) PrivacyNoticeVersions(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]NoticeVersion, error) {
	var vs []NoticeVersion
	err := sqlx.SelectContext(ctx, q, &vs, selectPrivacyNoticeVersions, projectID)
	return vs, wrap("privacy notice versions", err)
}

const selectPrivacyNotice = `
SELECT id, project_id, version, language, body, published_at FROM privacy_notices
WHERE project_id = $1 AND version = $2
ORDER BY (language = $3) DESC, (language = 'en') DESC, language
LIMIT 1`

// PrivacyNoticeVersion returns one version in lang (English, then any language, if missing).
func (s *Store) PrivacyNoticeVersion(ctx context.Context, q sqlx.QueryerContext, projectID int64, version int, lang string) (PrivacyNotice, error) {
	var n PrivacyNotice
	err := sqlx.GetContext(ctx, q, &n, selectPrivacyNotice, projectID, version, lang)
	return n, wrap("privacy notice", err)
}

const selectPrivacyNoticeByID = `
SELECT id, project_id, version, language, body, published_at FROM privacy_notices WHERE id = $1`

// PrivacyNoticeByID finds one language version of a notice.
func (s *Store) PrivacyNoticeByID(ctx context.Context, q sqlx.QueryerContext, id int64) (PrivacyNotice, error) {
	var n PrivacyNotice
	err := sqlx.GetContext(ctx, q, &n, selectPrivacyNoticeByID, id)
	return n, wrap("privacy notice by id", err)
}

const selectLatestNoticeParams = `
SELECT params FROM privacy_notices WHERE project_id = $1 ORDER BY version DESC, id LIMIT 1`

// LatestPrivacyNoticeParams returns the parameters of the newest version ({} if none).
func (s *Store) LatestPrivacyNoticeParams(ctx context.Context, q sqlx.QueryerContext, projectID int64) (JSON, error) {
	var p JSON
	err := sqlx.GetContext(ctx, q, &p, selectLatestNoticeParams, projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return JSON("{}"), nil
	}
	return p, wrap("privacy notice params", err)
}

// Versions are numbered per project. The project row is locked first, in its
// own statement: the next statement's snapshot then sees a concurrent
// publisher's committed version (a subquery in the locking statement would
// still read the older snapshot and both would take the same number).
const nextPrivacyNoticeVersion = `
SELECT COALESCE(max(version), 0) + 1 FROM privacy_notices WHERE project_id = $1`

// NextPrivacyNoticeVersion locks the project and returns the next version number.
func (s *Store) NextPrivacyNoticeVersion(ctx context.Context, q sqlx.QueryerContext, projectID int64) (int, error) {
	if err := s.LockProject(ctx, q, projectID); err != nil {
		return 0, err
	}
	var v int
	err := sqlx.GetContext(ctx, q, &v, nextPrivacyNoticeVersion, projectID)
	return v, wrap("next privacy notice version", err)
}

const insertPrivacyNoticeWithParams = `
INSERT INTO privacy_notices (project_id, version, language, body, params, published_by)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, published_at`

// PublishPrivacyNotice stores one language of a new version with the
// parameters it was rendered from.
func (s *Store) PublishPrivacyNotice(ctx context.Context, q sqlx.QueryerContext, n *PrivacyNotice, params JSON, by *int64) error {
	if len(params) == 0 {
		params = JSON("{}")
	}
	row := q.QueryRowxContext(ctx, insertPrivacyNoticeWithParams, n.ProjectID, n.Version, n.Language, n.Body, params, by)
	return wrap("publish privacy notice", row.Scan(&n.ID, &n.PublishedAt))
}

// Retention is a project's retention settings and where it stands.
type Retention struct {
	ProjectID          int64      `db:"id"`
	Code               string     `db:"code"`
	Title              Texts      `db:"title"`
	BalancePaidOn      *time.Time `db:"balance_paid_on"`
	RetentionYears     int        `db:"retention_years"`
	NeedsRetentionDays int        `db:"needs_retention_days"`
	RecordsKeptUntil   *time.Time `db:"records_kept_until"`
	AnonymisedAt       *time.Time `db:"anonymised_at"`
	LastDay            *time.Time `db:"last_day"`
	Registrations      int        `db:"registrations"`
	Anonymised         int        `db:"anonymised"`
}

const retentionColumns = `p.id, p.code, p.title, p.balance_paid_on, p.retention_years, p.needs_retention_days,
	p.records_kept_until, p.anonymised_at,
	(SELECT max(e.last_day) FROM events e WHERE e.project_id = p.id) AS last_day,
	(SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.project_id = p.id) AS registrations,
	(SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE e.project_id = p.id AND r.anonymised_at IS NOT NULL) AS anonymised`

const selectRetentions = `SELECT ` + retentionColumns + ` FROM projects p ORDER BY p.starts_on NULLS LAST, p.id`

// Retentions lists every project's retention settings.
func (s *Store) Retentions(ctx context.Context, q sqlx.QueryerContext) ([]Retention, error) {
	var rs []Retention
	err := sqlx.SelectContext(ctx, q, &rs, selectRetentions)
	return rs, wrap("retentions", err)
}

const selectRetention = `SELECT ` + retentionColumns + ` FROM projects p WHERE p.code = $1`

// RetentionByCode returns one project's retention settings.
func (s *Store) RetentionByCode(ctx context.Context, q sqlx.QueryerContext, code string) (Retention, error) {
	var r Retention
	err := sqlx.GetContext(ctx, q, &r, selectRetention, code)
	return r, wrap("retention", err)
}

const updateRetention = `
UPDATE projects SET balance_paid_on = $2, retention_years = $3, needs_retention_days = $4, updated_at = now()
WHERE id = $1`

// SetRetention changes a project's balance payment date and retention periods.
func (s *Store) SetRetention(ctx context.Context, q sqlx.ExecerContext, projectID int64, balancePaidOn *time.Time, years, needsDays int) error {
	res, err := q.ExecContext(ctx, updateRetention, projectID, balancePaidOn, years, needsDays)
	if err != nil {
		return wrap("set retention", err)
	}
	return mustAffect(res, "set retention")
}

const selectExpiredProjects = `
SELECT id FROM projects
WHERE records_kept_until IS NOT NULL AND records_kept_until < $1::date AND anonymised_at IS NULL ORDER BY id`

// ExpiredProjects lists projects whose records are past their retention and not yet anonymised.
func (s *Store) ExpiredProjects(ctx context.Context, q sqlx.QueryerContext, today time.Time) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectExpiredProjects, today.Format("2006-01-02"))
	return ids, wrap("expired projects", err)
}

const lockProject = `SELECT id FROM projects WHERE id = $1 FOR UPDATE`

// LockProject holds a project's row until the transaction ends, so that the
// retention job and an administrator never anonymise it at the same time.
func (s *Store) LockProject(ctx context.Context, q sqlx.QueryerContext, projectID int64) error {
	var id int64
	return wrap("lock project", sqlx.GetContext(ctx, q, &id, lockProject, projectID))
}

// A job runs at most once per period across every instance: the conditional
// upsert claims the period; concurrent claimers wait on the row and then see
// the claim already taken.
const claimJob = `
INSERT INTO job_runs (job, last_run_at) VALUES ($1, $2)
ON CONFLICT (job) DO UPDATE SET last_run_at = EXCLUDED.last_run_at
WHERE job_runs.last_run_at <= EXCLUDED.last_run_at - $3 * interval '1 second'
RETURNING job`

// ClaimJob claims the run of job at now unless it ran less than every ago.
func (s *Store) ClaimJob(ctx context.Context, q sqlx.QueryerContext, job string, now time.Time, every time.Duration) (bool, error) {
	var name string
	err := sqlx.GetContext(ctx, q, &name, claimJob, job, now, every.Seconds())
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("claim job", err)
}

const unclaimJob = `DELETE FROM job_runs WHERE job = $1 AND last_run_at = $2`

// UnclaimJob gives back a claim whose run failed, so the next tick retries.
func (s *Store) UnclaimJob(ctx context.Context, q sqlx.ExecerContext, job string, claimedAt time.Time) error {
	_, err := q.ExecContext(ctx, unclaimJob, job, claimedAt)
	return wrap("unclaim job", err)
}

// Person data: everything held about one person, found by e-mail across events.

const selectPersonRegistrations = `SELECT ` + registrationColumns + ` FROM registrations
WHERE lower(email) = lower($1) ORDER BY created_at, id`

// RegistrationsOfPerson lists every registration with the address, in any event.
func (s *Store) RegistrationsOfPerson(ctx context.Context, q sqlx.QueryerContext, email string) ([]Registration, error) {
	var rs []Registration
	err := sqlx.SelectContext(ctx, q, &rs, selectPersonRegistrations, email)
	return rs, wrap("registrations of person", err)
}

// RegistrationDay is one day of one registration.
type RegistrationDay struct {
	RegistrationID int64     `db:"registration_id"`
	Day            time.Time `db:"day"`
}

// RegistrationDaysOf lists the days of several registrations.
func (s *Store) RegistrationDaysOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]RegistrationDay, error) {
	var ds []RegistrationDay
	err := sqlx.SelectContext(ctx, q, &ds,
		`SELECT registration_id, day FROM registration_days WHERE registration_id = ANY($1::bigint[]) ORDER BY registration_id, day`,
		pq.Array(ids))
	return ds, wrap("registration days of", err)
}

// Consent is one consent given or withdrawn.
type Consent struct {
	ID             int64     `db:"id"`
	RegistrationID int64     `db:"registration_id"`
	Kind           string    `db:"kind"`
	Given          bool      `db:"given"`
	NoticeVersion  *int      `db:"notice_version"`
	At             time.Time `db:"at"`
}

// ConsentsOf lists the consents of several registrations, oldest first.
func (s *Store) ConsentsOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Consent, error) {
	var cs []Consent
	err := sqlx.SelectContext(ctx, q, &cs,
		`SELECT id, registration_id, kind, given, notice_version, at FROM consents
		WHERE registration_id = ANY($1::bigint[]) ORDER BY at, id`, pq.Array(ids))
	return cs, wrap("consents of", err)
}

// TicketsOf lists the tickets of several registrations, live and revoked.
func (s *Store) TicketsOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Ticket, error) {
	var ts []Ticket
	err := sqlx.SelectContext(ctx, q, &ts,
		`SELECT `+ticketColumns+` FROM tickets WHERE registration_id = ANY($1::bigint[]) ORDER BY issued_at, id`, pq.Array(ids))
	return ts, wrap("tickets of", err)
}

// AdmissionsOf lists the admissions of several registrations.
func (s *Store) AdmissionsOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Admission, error) {
	var as []Admission
	err := sqlx.SelectContext(ctx, q, &as,
		`SELECT id, event_id, registration_id, day, admitted_at, device_id, user_id, scan_id::text AS scan_id, method,
			reason, undone_at
		FROM admissions WHERE registration_id = ANY($1::bigint[]) ORDER BY admitted_at, id`, pq.Array(ids))
	return as, wrap("admissions of", err)
}

// ScanEntry is one line of the scan log.
type ScanEntry struct {
	ID             int64     `db:"id"`
	EventID        int64     `db:"event_id"`
	RegistrationID *int64    `db:"registration_id"`
	TicketID       *int64    `db:"ticket_id"`
	DeviceID       *int64    `db:"device_id"`
	DeviceName     *string   `db:"device_name"`
	Day            time.Time `db:"day"`
	Method         string    `db:"method"`
	Result         string    `db:"result"`
	Reason         string    `db:"reason"`
	ScannedAt      time.Time `db:"scanned_at"`
	Offline        bool      `db:"offline"`
}

// ScansOf lists the scans of several registrations or of their tickets.
func (s *Store) ScansOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]ScanEntry, error) {
	var ss []ScanEntry
	err := sqlx.SelectContext(ctx, q, &ss, `
		SELECT s.id, s.event_id, s.registration_id, s.ticket_id, s.device_id, d.name AS device_name, s.day, s.method,
			s.result, s.reason, s.scanned_at, s.offline
		FROM scans s LEFT JOIN devices d ON d.id = s.device_id
		WHERE s.registration_id = ANY($1::bigint[])
		   OR s.ticket_id IN (SELECT id FROM tickets WHERE registration_id = ANY($1::bigint[]))
		ORDER BY s.scanned_at, s.id`, pq.Array(ids))
	return ss, wrap("scans of", err)
}

// SignatureMeta describes a captured signature without its image.
type SignatureMeta struct {
	ID             int64     `db:"id"`
	EventID        int64     `db:"event_id"`
	RegistrationID int64     `db:"registration_id"`
	Day            time.Time `db:"day"`
	SHA256         []byte    `db:"sha256"`
	Bytes          int       `db:"bytes"`
	CapturedAt     time.Time `db:"captured_at"`
}

// SignaturesOf lists signature metadata of several registrations.
func (s *Store) SignaturesOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]SignatureMeta, error) {
	var ss []SignatureMeta
	err := sqlx.SelectContext(ctx, q, &ss, `
		SELECT id, event_id, registration_id, day, sha256, length(image_png) AS bytes, captured_at
		FROM signatures WHERE registration_id = ANY($1::bigint[]) ORDER BY captured_at, id`, pq.Array(ids))
	return ss, wrap("signatures of", err)
}

// MessagesOf lists messages of several registrations or sent to an address, with their text.
func (s *Store) MessagesOf(ctx context.Context, q sqlx.QueryerContext, ids []int64, email string) ([]OutboxMessage, error) {
	var ms []OutboxMessage
	err := sqlx.SelectContext(ctx, q, &ms, `
		SELECT `+outboxColumns+` FROM outbox
		WHERE registration_id = ANY($1::bigint[]) OR ($2 <> '' AND lower(to_addr) = lower($2))
		ORDER BY created_at, id`, pq.Array(ids), email)
	return ms, wrap("messages of", err)
}

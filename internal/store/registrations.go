package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// Registration is one person's registration for one event.
type Registration struct {
	ID                int64         `db:"id"`
	EventID           int64         `db:"event_id"`
	Status            Status        `db:"status"`
	WaitlistSeq       *int64        `db:"waitlist_seq"`
	FirstName         string        `db:"first_name"`
	LastName          string        `db:"last_name"`
	Email             *string       `db:"email"`
	Phone             string        `db:"phone"`
	Country           string        `db:"country"`
	City              string        `db:"city"`
	Organisation      string        `db:"organisation"`
	Participation     Participation `db:"participation"`
	PartnerID         *int64        `db:"partner_id"`
	Language          string        `db:"language"`
	NeedsAccess       string        `db:"needs_access"`
	NeedsDiet         string        `db:"needs_diet"`
	AgeBand           string        `db:"age_band"`
	Gender            string        `db:"gender"`
	PhotoConsent      bool          `db:"photo_consent"`
	PrivacyNoticeID   *int64        `db:"privacy_notice_id"`
	PrivacyAcceptedAt *time.Time    `db:"privacy_accepted_at"`
	DelegationID      *int64        `db:"delegation_id"`
	Source            string        `db:"source"`
	ManageNonce       []byte        `db:"manage_nonce"`
	ConfirmTokenHash  []byte        `db:"confirm_token_hash"`
	ConfirmExpiresAt  *time.Time    `db:"confirm_expires_at"`
	ConfirmedAt       *time.Time    `db:"confirmed_at"`
	CancelledAt       *time.Time    `db:"cancelled_at"`
	AnonymisedAt      *time.Time    `db:"anonymised_at"`
	CreatedAt         time.Time     `db:"created_at"`
	UpdatedAt         time.Time     `db:"updated_at"`
}

// FullName joins first and last name.
func (r Registration) FullName() string { return r.FirstName + " " + r.LastName }

const registrationColumns = `id, event_id, status, waitlist_seq, first_name, last_name, email, phone, country, city,
	organisation, participation, partner_id, language, needs_access, needs_diet, age_band, gender, photo_consent,
	privacy_notice_id, privacy_accepted_at, delegation_id, source, manage_nonce, confirm_token_hash,
	confirm_expires_at, confirmed_at, cancelled_at, anonymised_at, created_at, updated_at`

const insertRegistration = `
INSERT INTO registrations (event_id, status, waitlist_seq, first_name, last_name, email, phone, country, city,
	organisation, participation, partner_id, language, needs_access, needs_diet, age_band, gender, photo_consent,
	privacy_notice_id, privacy_accepted_at, delegation_id, source, manage_nonce, confirm_token_hash,
	confirm_expires_at, confirmed_at, cancelled_at, created_at, updated_at)
VALUES (:event_id, :status, :waitlist_seq, :first_name, :last_name, :email, :phone, :country, :city,
	:organisation, :participation, :partner_id, :language, :needs_access, :needs_diet, :age_band, :gender,
	:photo_consent, :privacy_notice_id, :privacy_accepted_at, :delegation_id, :source, :manage_nonce,
	:confirm_token_hash, :confirm_expires_at, :confirmed_at, :cancelled_at,
	:created_at, now())
RETURNING id`

const insertRegistrationDays = `
INSERT INTO registration_days (registration_id, event_id, day)
SELECT $1, $2, unnest($3::date[])`

// InsertRegistration stores a registration with its days as given. Seat counting
// and waiting-list rules belong to the registration use case, not here.
func (s *Store) InsertRegistration(ctx context.Context, q sqlx.ExtContext, r *Registration, days []time.Time) error {
	if r.Source == "" {
		r.Source = "web"
	}
	if r.Language == "" {
		r.Language = "en"
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	if err := namedGet(ctx, q, &r.ID, insertRegistration, r); err != nil {
		return err
	}
	ds := make([]string, len(days))
	for i, d := range days {
		ds[i] = d.Format("2006-01-02")
	}
	_, err := q.ExecContext(ctx, insertRegistrationDays, r.ID, r.EventID, pqArray(ds))
	return wrap("insert registration days", err)
}

const selectRegistration = `SELECT ` + registrationColumns + ` FROM registrations WHERE id = $1`

// Registration finds a registration by id.
func (s *Store) Registration(ctx context.Context, q sqlx.QueryerContext, id int64) (Registration, error) {
	var r Registration
	err := sqlx.GetContext(ctx, q, &r, selectRegistration, id)
	return r, wrap("registration", err)
}

const selectRegistrationDays = `SELECT day FROM registration_days WHERE registration_id = $1 ORDER BY day`

// RegistrationDays lists the days a registration covers.
func (s *Store) RegistrationDays(ctx context.Context, q sqlx.QueryerContext, id int64) ([]time.Time, error) {
	var ds []time.Time
	err := sqlx.SelectContext(ctx, q, &ds, selectRegistrationDays, id)
	return ds, wrap("registration days", err)
}

const recountSeats = `
WITH c AS (
	SELECT count(*) AS n FROM registrations WHERE event_id = $1 AND status = 'confirmed'
), d AS (
	UPDATE event_days ed SET confirmed_count = (
		SELECT count(*) FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id
		WHERE rd.event_id = ed.event_id AND rd.day = ed.day AND r.status = 'confirmed')
	WHERE ed.event_id = $1
)
UPDATE events SET confirmed_count = (SELECT n FROM c) WHERE id = $1`

// RecountSeats sets the seat counters from the confirmed registrations (used by
// bulk loads such as the demo; live changes move the counters one by one).
func (s *Store) RecountSeats(ctx context.Context, q sqlx.ExecerContext, eventID int64) error {
	_, err := q.ExecContext(ctx, recountSeats, eventID)
	return wrap("recount seats", err)
}

const selectRegistrationByEmail = `SELECT ` + registrationColumns + ` FROM registrations
WHERE event_id = $1 AND lower(email) = lower($2)`

// RegistrationByEmail finds an event's registration for an address (case-insensitive).
func (s *Store) RegistrationByEmail(ctx context.Context, q sqlx.QueryerContext, eventID int64, email string) (Registration, error) {
	var r Registration
	err := sqlx.GetContext(ctx, q, &r, selectRegistrationByEmail, eventID, email)
	return r, wrap("registration by email", err)
}

const lockRegistration = selectRegistration + ` FOR UPDATE`

// LockRegistration reads a registration and locks its row until the transaction ends,
// so that status changes (confirm, cancel, promote, change days) never interleave.
func (s *Store) LockRegistration(ctx context.Context, q sqlx.QueryerContext, id int64) (Registration, error) {
	var r Registration
	err := sqlx.GetContext(ctx, q, &r, lockRegistration, id)
	return r, wrap("lock registration", err)
}

const selectRegistrationByConfirmHash = `SELECT ` + registrationColumns + ` FROM registrations WHERE confirm_token_hash = $1`

// RegistrationByConfirmHash finds the registration a confirmation link belongs to.
func (s *Store) RegistrationByConfirmHash(ctx context.Context, q sqlx.QueryerContext, hash []byte) (Registration, error) {
	var r Registration
	err := sqlx.GetContext(ctx, q, &r, selectRegistrationByConfirmHash, hash)
	return r, wrap("registration by confirm token", err)
}

const takeEventSeat = `
UPDATE events SET confirmed_count = confirmed_count + 1
WHERE id = $1 AND (capacity IS NULL OR confirmed_count < capacity)
RETURNING id`

// TakeEventSeat takes one seat of the event in a single conditional UPDATE; false
// means the event is full. Concurrent callers queue on the row lock and each
// re-checks the condition, so the counter never passes the capacity.
func (s *Store) TakeEventSeat(ctx context.Context, q sqlx.QueryerContext, eventID int64) (bool, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, takeEventSeat, eventID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("take event seat", err)
}

const releaseEventSeat = `UPDATE events SET confirmed_count = confirmed_count - 1 WHERE id = $1 AND confirmed_count > 0`

// ReleaseEventSeat gives back one seat of the event.
func (s *Store) ReleaseEventSeat(ctx context.Context, q sqlx.ExecerContext, eventID int64) error {
	_, err := q.ExecContext(ctx, releaseEventSeat, eventID)
	return wrap("release event seat", err)
}

// Day rows are locked in date order, so that two transactions touching the
// same days never wait for each other in a cycle.
const takeDaySeats = `
WITH locked AS (
	SELECT day FROM event_days WHERE event_id = $1 AND day = ANY($2::date[]) ORDER BY day FOR NO KEY UPDATE
)
UPDATE event_days ed SET confirmed_count = ed.confirmed_count + 1
FROM locked
WHERE ed.event_id = $1 AND ed.day = locked.day AND (ed.capacity IS NULL OR ed.confirmed_count < ed.capacity)
RETURNING ed.day`

const releaseDaySeats = `
WITH locked AS (
	SELECT day FROM event_days WHERE event_id = $1 AND day = ANY($2::date[]) ORDER BY day FOR NO KEY UPDATE
)
UPDATE event_days ed SET confirmed_count = ed.confirmed_count - 1
FROM locked
WHERE ed.event_id = $1 AND ed.day = locked.day AND ed.confirmed_count > 0`

const lockEventSeats = `SELECT id FROM events WHERE id = $1 FOR NO KEY UPDATE`

// LockEventSeats locks the event's seat counter until the transaction ends.
// Every change of seats takes this lock first (a seat UPDATE takes it too),
// then the day rows: one order for all, so no two changes deadlock.
func (s *Store) LockEventSeats(ctx context.Context, q sqlx.QueryerContext, eventID int64) error {
	var id int64
	return wrap("lock event seats", sqlx.GetContext(ctx, q, &id, lockEventSeats, eventID))
}

// TakeDaySeats takes one seat on each of days, all or none: when a day is full
// the seats already taken by this call are given back and it returns false.
func (s *Store) TakeDaySeats(ctx context.Context, q sqlx.ExtContext, eventID int64, days []time.Time) (bool, error) {
	if len(days) == 0 {
		return true, nil
	}
	var got []time.Time
	if err := sqlx.SelectContext(ctx, q, &got, takeDaySeats, eventID, pqArray(dateStrings(days))); err != nil {
		return false, wrap("take day seats", err)
	}
	if len(got) == len(days) {
		return true, nil
	}
	if len(got) > 0 {
		if _, err := q.ExecContext(ctx, releaseDaySeats, eventID, pqArray(dateStrings(got))); err != nil {
			return false, wrap("take day seats", err)
		}
	}
	return false, nil
}

// ReleaseDaySeats gives back one seat on each of days.
func (s *Store) ReleaseDaySeats(ctx context.Context, q sqlx.ExecerContext, eventID int64, days []time.Time) error {
	if len(days) == 0 {
		return nil
	}
	_, err := q.ExecContext(ctx, releaseDaySeats, eventID, pqArray(dateStrings(days)))
	return wrap("release day seats", err)
}

func dateStrings(days []time.Time) []string {
	ds := make([]string, len(days))
	for i, d := range days {
		ds[i] = d.Format("2006-01-02")
	}
	return ds
}

// The waiting-list position is taken from a sequence when the person joins the
// list; leaving it (promotion, cancellation) clears it.
const setRegistrationStatus = `
UPDATE registrations SET
	status = $2::text,
	waitlist_seq = CASE WHEN $2::text = 'waitlisted' THEN COALESCE(waitlist_seq, nextval('waitlist_seq')) ELSE NULL END,
	confirmed_at = CASE WHEN $2::text = 'confirmed' THEN now() ELSE confirmed_at END,
	cancelled_at = CASE WHEN $2::text = 'cancelled' THEN now() ELSE NULL END,
	updated_at = now()
WHERE id = $1
RETURNING ` + registrationColumns

// SetRegistrationStatus moves a registration to status and returns it.
func (s *Store) SetRegistrationStatus(ctx context.Context, q sqlx.QueryerContext, id int64, status Status) (Registration, error) {
	var r Registration
	err := sqlx.GetContext(ctx, q, &r, setRegistrationStatus, id, status)
	return r, wrap("set registration status", err)
}

const setConfirmToken = `
UPDATE registrations SET confirm_token_hash = $2, confirm_expires_at = $3, updated_at = now() WHERE id = $1`

// SetConfirmToken replaces the confirmation link of a registration.
func (s *Store) SetConfirmToken(ctx context.Context, q sqlx.ExecerContext, id int64, hash []byte, expires time.Time) error {
	res, err := q.ExecContext(ctx, setConfirmToken, id, hash, expires)
	if err != nil {
		return wrap("set confirm token", err)
	}
	return mustAffect(res, "set confirm token")
}

const updateRegistrationDetails = `
UPDATE registrations SET first_name = :first_name, last_name = :last_name, phone = :phone, country = :country,
	city = :city, organisation = :organisation, participation = :participation, partner_id = :partner_id,
	language = :language, needs_access = :needs_access, needs_diet = :needs_diet, age_band = :age_band,
	gender = :gender, photo_consent = :photo_consent, privacy_notice_id = :privacy_notice_id,
	privacy_accepted_at = :privacy_accepted_at, updated_at = now()
WHERE id = :id`

// UpdateRegistrationDetails stores the person's details (not status, e-mail or days).
func (s *Store) UpdateRegistrationDetails(ctx context.Context, q sqlx.ExtContext, r *Registration) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateRegistrationDetails, r)
	if err != nil {
		return wrap("update registration details", err)
	}
	return mustAffect(res, "update registration details")
}

const deleteRegistrationDays = `DELETE FROM registration_days WHERE registration_id = $1`

// SetRegistrationDays replaces the days a registration covers.
func (s *Store) SetRegistrationDays(ctx context.Context, q sqlx.ExecerContext, id, eventID int64, days []time.Time) error {
	if _, err := q.ExecContext(ctx, deleteRegistrationDays, id); err != nil {
		return wrap("set registration days", err)
	}
	_, err := q.ExecContext(ctx, insertRegistrationDays, id, eventID, pqArray(dateStrings(days)))
	return wrap("set registration days", err)
}

// An anonymised row can never be promoted: nobody is left to tell, and the
// person asked to be removed.
const selectWaitlistForUpdate = `SELECT ` + registrationColumns + ` FROM registrations
WHERE event_id = $1 AND status = 'waitlisted' AND anonymised_at IS NULL
ORDER BY waitlist_seq, id
LIMIT $2
FOR UPDATE SKIP LOCKED`

// WaitlistForUpdate returns the first n people on an event's waiting list, in
// order, locking their rows; rows another transaction holds are skipped.
func (s *Store) WaitlistForUpdate(ctx context.Context, q sqlx.QueryerContext, eventID int64, n int) ([]Registration, error) {
	var rs []Registration
	err := sqlx.SelectContext(ctx, q, &rs, selectWaitlistForUpdate, eventID, n)
	return rs, wrap("waiting list", err)
}

const selectWaitlistPosition = `
SELECT count(*) FROM registrations
WHERE event_id = $1 AND status = 'waitlisted' AND waitlist_seq <= $2`

// WaitlistPosition is a waitlisted registration's place in the queue (1 = next).
func (s *Store) WaitlistPosition(ctx context.Context, q sqlx.QueryerContext, r Registration) (int, error) {
	if r.Status != StatusWaitlisted || r.WaitlistSeq == nil {
		return 0, nil
	}
	var n int
	err := sqlx.GetContext(ctx, q, &n, selectWaitlistPosition, r.EventID, *r.WaitlistSeq)
	return n, wrap("waiting list position", err)
}

const insertConsent = `
INSERT INTO consents (registration_id, kind, given, notice_version) VALUES ($1, $2, $3, $4)`

// InsertConsent records a consent given or withdrawn.
func (s *Store) InsertConsent(ctx context.Context, q sqlx.ExecerContext, registrationID int64, kind string, given bool, noticeVersion *int) error {
	_, err := q.ExecContext(ctx, insertConsent, registrationID, kind, given, noticeVersion)
	return wrap("insert consent", err)
}

const selectRegistrationCounts = `
SELECT count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
	count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted,
	count(*) FILTER (WHERE status = 'pending_confirmation') AS pending,
	count(*) FILTER (WHERE status = 'cancelled') AS cancelled
FROM registrations WHERE event_id = $1`

// RegistrationCounts are an event's registrations by status.
type RegistrationCounts struct {
	Confirmed  int `db:"confirmed"`
	Waitlisted int `db:"waitlisted"`
	Pending    int `db:"pending"`
	Cancelled  int `db:"cancelled"`
}

// EventRegistrationCounts counts an event's registrations by status.
func (s *Store) EventRegistrationCounts(ctx context.Context, q sqlx.QueryerContext, eventID int64) (RegistrationCounts, error) {
	var c RegistrationCounts
	err := sqlx.GetContext(ctx, q, &c, selectRegistrationCounts, eventID)
	return c, wrap("registration counts", err)
}

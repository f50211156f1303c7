package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Registration is one person's registration for one event.
type Registration struct {
	ID                int64      `db:"id"`
	EventID           int64      `db:"event_id"`
	Status            string     `db:"status"`
	WaitlistSeq       *int64     `db:"waitlist_seq"`
	FirstName         string     `db:"first_name"`
	LastName          string     `db:"last_name"`
	Email             *string    `db:"email"`
	Phone             string     `db:"phone"`
	Country           string     `db:"country"`
	City              string     `db:"city"`
	Organisation      string     `db:"organisation"`
	Participation     string     `db:"participation"`
	PartnerID         *int64     `db:"partner_id"`
	Language          string     `db:"language"`
	NeedsAccess       string     `db:"needs_access"`
	NeedsDiet         string     `db:"needs_diet"`
	AgeBand           string     `db:"age_band"`
	Gender            string     `db:"gender"`
	PhotoConsent      bool       `db:"photo_consent"`
	PrivacyNoticeID   *int64     `db:"privacy_notice_id"`
	PrivacyAcceptedAt *time.Time `db:"privacy_accepted_at"`
	DelegationID      *int64     `db:"delegation_id"`
	Source            string     `db:"source"`
	ManageTokenHash   []byte     `db:"manage_token_hash"`
	ConfirmTokenHash  []byte     `db:"confirm_token_hash"`
	ConfirmExpiresAt  *time.Time `db:"confirm_expires_at"`
	ConfirmedAt       *time.Time `db:"confirmed_at"`
	CancelledAt       *time.Time `db:"cancelled_at"`
	AnonymisedAt      *time.Time `db:"anonymised_at"`
	CreatedAt         time.Time  `db:"created_at"`
	UpdatedAt         time.Time  `db:"updated_at"`
}

// FullName joins first and last name.
func (r Registration) FullName() string { return r.FirstName + " " + r.LastName }

const registrationColumns = `id, event_id, status, waitlist_seq, first_name, last_name, email, phone, country, city,
	organisation, participation, partner_id, language, needs_access, needs_diet, age_band, gender, photo_consent,
	privacy_notice_id, privacy_accepted_at, delegation_id, source, manage_token_hash, confirm_token_hash,
	confirm_expires_at, confirmed_at, cancelled_at, anonymised_at, created_at, updated_at`

const insertRegistration = `
INSERT INTO registrations (event_id, status, waitlist_seq, first_name, last_name, email, phone, country, city,
	organisation, participation, partner_id, language, needs_access, needs_diet, age_band, gender, photo_consent,
	privacy_notice_id, privacy_accepted_at, delegation_id, source, manage_token_hash, confirm_token_hash,
	confirm_expires_at, confirmed_at, cancelled_at, created_at, updated_at)
VALUES (:event_id, :status, :waitlist_seq, :first_name, :last_name, :email, :phone, :country, :city,
	:organisation, :participation, :partner_id, :language, :needs_access, :needs_diet, :age_band, :gender,
	:photo_consent, :privacy_notice_id, :privacy_accepted_at, :delegation_id, :source, :manage_token_hash,
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

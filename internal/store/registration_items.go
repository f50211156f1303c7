package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// RegistrationItem is a registration as the registrations API gives it: the
// person's details with the event's slug, the partner's slug, the days chosen
// and the days attended.
type RegistrationItem struct {
	ID            int64          `db:"id"`
	EventSlug     string         `db:"event_slug"`
	Status        Status         `db:"status"`
	FirstName     string         `db:"first_name"`
	LastName      string         `db:"last_name"`
	Email         *string        `db:"email"`
	Phone         string         `db:"phone"`
	Organisation  string         `db:"organisation"`
	City          string         `db:"city"`
	Country       string         `db:"country"`
	Participation Participation  `db:"participation"`
	PartnerSlug   *string        `db:"partner_slug"`
	Language      string         `db:"language"`
	Days          pq.StringArray `db:"days"`          // ISO dates
	AttendedDays  pq.StringArray `db:"attended_days"` // ISO dates with a live admission
	Source        string         `db:"source"`
	CreatedAt     time.Time      `db:"created_at"`
	ConfirmedAt   *time.Time     `db:"confirmed_at"`
	CancelledAt   *time.Time     `db:"cancelled_at"`
	AnonymisedAt  *time.Time     `db:"anonymised_at"`
	ErasedAt      *time.Time     `db:"erased_at"`
}

// RegistrationPageFilter selects one page of an event's registrations, in id
// order after the id After (keyset pagination: a page never repeats or skips
// a row when others are added meanwhile, since new rows get higher ids).
type RegistrationPageFilter struct {
	EventID       int64
	After         int64
	Status        Status
	PartnerID     int64
	Participation Participation
	Q             string // part of name, e-mail, organisation or city, or a registration id
	Limit         int
}

const selectRegistrationItems = `
SELECT r.id, e.slug AS event_slug, r.status, r.first_name, r.last_name, r.email, r.phone, r.organisation, r.city,
	r.country, r.participation, p.slug AS partner_slug, r.language, r.source, r.created_at, r.confirmed_at,
	r.cancelled_at, r.anonymised_at, r.erased_at,
	ARRAY(SELECT to_char(d.day, 'YYYY-MM-DD') FROM registration_days d
		WHERE d.registration_id = r.id ORDER BY d.day) AS days,
	ARRAY(SELECT DISTINCT to_char(a.day, 'YYYY-MM-DD') FROM admissions a
		WHERE a.registration_id = r.id AND a.undone_at IS NULL ORDER BY 1) AS attended_days
FROM registrations r JOIN events e ON e.id = r.event_id LEFT JOIN partners p ON p.id = r.partner_id`

const selectRegistrationPage = selectRegistrationItems + `
WHERE r.event_id = $1 AND r.id > $2
  AND ($3 = '' OR r.status = $3)
  AND ($4 = 0 OR r.partner_id = $4)
  AND ($5 = '' OR r.participation = $5)
  AND ($6 = '' OR r.id::text = $6
       OR (r.first_name || ' ' || r.last_name) ILIKE '%' || $7 || '%'
       OR r.email ILIKE '%' || $7 || '%'
       OR r.organisation ILIKE '%' || $7 || '%'
       OR r.city ILIKE '%' || $7 || '%')
ORDER BY r.id
LIMIT $8`

// RegistrationPage returns up to f.Limit registrations of an event after
// f.After, in id order. The limit is at most 501: a page of 500 and one row
// more to tell whether another page follows (0: 50).
func (s *Store) RegistrationPage(ctx context.Context, q sqlx.QueryerContext, f RegistrationPageFilter) ([]RegistrationItem, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 501)
	rs := []RegistrationItem{}
	err := sqlx.SelectContext(ctx, q, &rs, selectRegistrationPage, f.EventID, f.After, f.Status, f.PartnerID,
		f.Participation, f.Q, escapeLike(f.Q), f.Limit)
	return rs, wrap("registration page", err)
}

const selectRegistrationItem = selectRegistrationItems + ` WHERE r.id = $1`

// RegistrationItem finds one registration as the registrations API gives it.
func (s *Store) RegistrationItem(ctx context.Context, q sqlx.QueryerContext, id int64) (RegistrationItem, error) {
	var r RegistrationItem
	err := sqlx.GetContext(ctx, q, &r, selectRegistrationItem, id)
	return r, wrap("registration item", err)
}

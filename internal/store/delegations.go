package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Delegation is a group registered at once by a partner coordinator.
type Delegation struct {
	ID        int64     `db:"id"`
	EventID   int64     `db:"event_id"`
	PartnerID int64     `db:"partner_id"`
	CreatedBy *int64    `db:"created_by"`
	CreatedAt time.Time `db:"created_at"`
}

const insertDelegation = `
INSERT INTO delegations (event_id, partner_id, created_by) VALUES (:event_id, :partner_id, :created_by)
RETURNING id, created_at`

// CreateDelegation inserts a delegation and sets its ID and creation time.
func (s *Store) CreateDelegation(ctx context.Context, q sqlx.ExtContext, d *Delegation) error {
	query, args, err := sqlx.Named(insertDelegation, d)
	if err != nil {
		return err
	}
	return wrap("create delegation", sqlx.GetContext(ctx, q, d, q.Rebind(query), args...))
}

const selectDelegation = `SELECT id, event_id, partner_id, created_by, created_at FROM delegations WHERE id = $1`

// Delegation finds a delegation by id.
func (s *Store) Delegation(ctx context.Context, q sqlx.QueryerContext, id int64) (Delegation, error) {
	var d Delegation
	err := sqlx.GetContext(ctx, q, &d, selectDelegation, id)
	return d, wrap("delegation", err)
}

// DelegationSummary is one delegation with its event and member counts.
type DelegationSummary struct {
	Delegation
	EventSlug  string    `db:"event_slug"`
	EventTitle Texts     `db:"event_title"`
	FirstDay   time.Time `db:"first_day"`
	LastDay    time.Time `db:"last_day"`
	PartnerOrg string    `db:"partner_org"`
	Members    int       `db:"members"`
	Confirmed  int       `db:"confirmed"`
	Waitlisted int       `db:"waitlisted"`
	Attended   int       `db:"attended"`
}

// A project id of 0 lists every project's, a partner id of 0 every partner's.
const selectDelegations = `
SELECT d.id, d.event_id, d.partner_id, d.created_by, d.created_at,
	e.slug AS event_slug, e.title AS event_title, e.first_day, e.last_day, p.organisation AS partner_org,
	count(r.id) AS members,
	count(r.id) FILTER (WHERE r.status = 'confirmed') AS confirmed,
	count(r.id) FILTER (WHERE r.status = 'waitlisted') AS waitlisted,
	count(r.id) FILTER (WHERE EXISTS (
		SELECT 1 FROM admissions a WHERE a.registration_id = r.id AND a.undone_at IS NULL)) AS attended
FROM delegations d
JOIN events e ON e.id = d.event_id
JOIN partners p ON p.id = d.partner_id
LEFT JOIN registrations r ON r.delegation_id = d.id
WHERE ($1 = 0 OR e.project_id = $1) AND ($2 = 0 OR d.partner_id = $2)
GROUP BY d.id, e.id, p.id
ORDER BY e.first_day DESC, d.id DESC`

// Delegations lists the delegations of a project (every project's when
// projectID is 0) and of a partner (every partner's when partnerID is 0).
func (s *Store) Delegations(ctx context.Context, q sqlx.QueryerContext, projectID, partnerID int64) ([]DelegationSummary, error) {
	var ds []DelegationSummary
	err := sqlx.SelectContext(ctx, q, &ds, selectDelegations, projectID, partnerID)
	return ds, wrap("delegations", err)
}

// DelegationMember is a registration of a delegation with its attendance.
type DelegationMember struct {
	Registration
	Days         []time.Time `db:"-"`
	AdmittedDays int         `db:"admitted_days"`
}

const selectDelegationMembers = `
SELECT ` + registrationColumns + `,
	(SELECT count(*) FROM admissions a WHERE a.registration_id = registrations.id AND a.undone_at IS NULL) AS admitted_days
FROM registrations WHERE delegation_id = $1 ORDER BY last_name, first_name, id`

// DelegationMembers lists a delegation's registrations with the days they were admitted.
func (s *Store) DelegationMembers(ctx context.Context, q sqlx.QueryerContext, delegationID int64) ([]DelegationMember, error) {
	var ms []DelegationMember
	err := sqlx.SelectContext(ctx, q, &ms, selectDelegationMembers, delegationID)
	return ms, wrap("delegation members", err)
}

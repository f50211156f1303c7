package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// RegistrationFilter narrows the administrators' registration list.
type RegistrationFilter struct {
	EventID   int64
	ProjectID int64 // 0: every project
	PartnerID int64
	Status    Status
	Q         string // part of name, e-mail, organisation or city, or a registration id
	Limit     int
	Offset    int
}

// RegistrationRow is a registration in the administrators' list.
type RegistrationRow struct {
	ID            int64         `db:"id"`
	EventID       int64         `db:"event_id"`
	EventSlug     string        `db:"event_slug"`
	EventNumber   int           `db:"event_number"`
	Status        Status        `db:"status"`
	FirstName     string        `db:"first_name"`
	LastName      string        `db:"last_name"`
	Email         *string       `db:"email"`
	Country       string        `db:"country"`
	City          string        `db:"city"`
	Organisation  string        `db:"organisation"`
	Participation Participation `db:"participation"`
	Source        string        `db:"source"`
	CreatedAt     time.Time     `db:"created_at"`
	Total         int           `db:"total"`
}

const selectRegistrationRows = `
SELECT r.id, r.event_id, e.slug AS event_slug, e.number AS event_number, r.status, r.first_name, r.last_name,
	r.email, r.country, r.city, r.organisation, r.participation, r.source, r.created_at,
	count(*) OVER () AS total
FROM registrations r JOIN events e ON e.id = r.event_id
WHERE ($1 = 0 OR r.event_id = $1)
  AND ($2 = 0 OR e.project_id = $2)
  AND ($3 = 0 OR r.partner_id = $3)
  AND ($4 = '' OR r.status = $4)
  AND ($5 = '' OR r.id::text = $5
       OR (r.first_name || ' ' || r.last_name) ILIKE '%' || $6 || '%'
       OR r.email ILIKE '%' || $6 || '%'
       OR r.organisation ILIKE '%' || $6 || '%'
       OR r.city ILIKE '%' || $6 || '%')
  AND r.anonymised_at IS NULL
ORDER BY r.created_at DESC, r.id DESC
LIMIT $7 OFFSET $8`

// RegistrationRows searches registrations, newest first, with the total count.
func (s *Store) RegistrationRows(ctx context.Context, q sqlx.QueryerContext, f RegistrationFilter) ([]RegistrationRow, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	var rs []RegistrationRow
	err := sqlx.SelectContext(ctx, q, &rs, selectRegistrationRows, f.EventID, f.ProjectID, f.PartnerID, f.Status,
		f.Q, escapeLike(f.Q), f.Limit, f.Offset)
	total := 0
	if len(rs) > 0 {
		total = rs[0].Total
	}
	return rs, total, wrap("registration rows", err)
}

// EventStats are an event's registrations by status and its admissions.
type EventStats struct {
	EventID    int64 `db:"event_id"`
	Confirmed  int   `db:"confirmed"`
	Pending    int   `db:"pending"`
	Waitlisted int   `db:"waitlisted"`
	Cancelled  int   `db:"cancelled"`
	Attended   int   `db:"attended"`
}

const selectEventStats = `
SELECT e.id AS event_id,
	count(r.id) FILTER (WHERE r.status = 'confirmed') AS confirmed,
	count(r.id) FILTER (WHERE r.status = 'pending_confirmation') AS pending,
	count(r.id) FILTER (WHERE r.status = 'waitlisted') AS waitlisted,
	count(r.id) FILTER (WHERE r.status = 'cancelled') AS cancelled,
	(SELECT count(DISTINCT a.registration_id) FROM admissions a WHERE a.event_id = e.id AND a.undone_at IS NULL) AS attended
FROM events e LEFT JOIN registrations r ON r.event_id = e.id
GROUP BY e.id`

// EventStatsAll counts every event's registrations, keyed by event id.
func (s *Store) EventStatsAll(ctx context.Context, q sqlx.QueryerContext) (map[int64]EventStats, error) {
	var rows []EventStats
	if err := sqlx.SelectContext(ctx, q, &rows, selectEventStats); err != nil {
		return nil, wrap("event stats", err)
	}
	out := make(map[int64]EventStats, len(rows))
	for _, r := range rows {
		out[r.EventID] = r
	}
	return out, nil
}

const updateProject = `
UPDATE projects SET code = :code, title = :title, acronym = :acronym, programme = :programme, strand = :strand,
	measure = :measure, grant_ref = :grant_ref, starts_on = :starts_on, ends_on = :ends_on, budget_eur = :budget_eur,
	rule_set_id = :rule_set_id, balance_paid_on = :balance_paid_on, retention_years = :retention_years,
	updated_at = now()
WHERE id = :id`

// UpdateProject saves a project; a taken code gives ErrConflict.
func (s *Store) UpdateProject(ctx context.Context, q sqlx.ExtContext, p Project) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateProject, p)
	if err != nil {
		return wrap("update project", err)
	}
	return mustAffect(res, "update project")
}

const updatePartner = `
UPDATE partners SET slug = :slug, organisation = :organisation, city = :city, country = :country,
	position = :position, city_texts = :city_texts, organisation_texts = :organisation_texts
WHERE id = :id AND project_id = :project_id`

// UpdatePartner saves a partner of a project.
func (s *Store) UpdatePartner(ctx context.Context, q sqlx.ExtContext, p Partner) error {
	res, err := sqlx.NamedExecContext(ctx, q, updatePartner, p)
	if err != nil {
		return wrap("update partner", err)
	}
	return mustAffect(res, "update partner")
}

const updateEvent = `
UPDATE events SET slug = :slug, number = :number, host_partner_id = :host_partner_id, title = :title,
	description = :description, venue = :venue, address = :address, venue_texts = :venue_texts,
	address_texts = :address_texts, city = :city, country = :country,
	time_zone = :time_zone, capacity = :capacity, registration_opens_at = :registration_opens_at,
	registration_closes_at = :registration_closes_at, registration_state = :registration_state,
	planned_grant_eur = :planned_grant_eur, updated_at = now()
WHERE id = :id`

// UpdateEvent saves an event's details (not its dates: see SetEventDates).
// A capacity below the confirmed seats gives ErrConflict.
func (s *Store) UpdateEvent(ctx context.Context, q sqlx.ExtContext, e Event) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateEvent, e)
	if err != nil {
		return wrap("update event", err)
	}
	return mustAffect(res, "update event")
}

const setEventDates = `
WITH e AS (
	UPDATE events SET first_day = $2, last_day = $3, updated_at = now() WHERE id = $1 RETURNING id
), gone AS (
	DELETE FROM event_days WHERE event_id = $1 AND (day < $2 OR day > $3)
)
INSERT INTO event_days (event_id, day)
SELECT $1, d::date FROM generate_series($2::date, $3::date, interval '1 day') AS d
ON CONFLICT (event_id, day) DO NOTHING`

// SetEventDates moves an event's first and last day, adding and removing
// event days. A removed day that people registered for fails with the
// foreign key (the caller checks DaysInUse first for a clear message).
func (s *Store) SetEventDates(ctx context.Context, q sqlx.ExecerContext, id int64, first, last time.Time) error {
	_, err := q.ExecContext(ctx, setEventDates, id, first, last)
	return wrap("set event dates", err)
}

// DaysInUse counts registrations on an event's days outside first..last.
func (s *Store) DaysInUse(ctx context.Context, q sqlx.QueryerContext, id int64, first, last time.Time) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM registration_days
		WHERE event_id = $1 AND (day < $2 OR day > $3)`, id, first, last)
	return n, wrap("days in use", err)
}

// SetEventDayCapacity sets one day's own capacity (nil: only the event's).
func (s *Store) SetEventDayCapacity(ctx context.Context, q sqlx.ExecerContext, eventID int64, day time.Time, capacity *int) error {
	res, err := q.ExecContext(ctx, `UPDATE event_days SET capacity = $3 WHERE event_id = $1 AND day = $2`, eventID, day, capacity)
	if err != nil {
		return wrap("set day capacity", err)
	}
	return mustAffect(res, "set day capacity")
}

// SetEventDayTimes sets one day's start and end times ("09:00", nil: none);
// an end before the start breaks a CHECK (ErrConflict).
func (s *Store) SetEventDayTimes(ctx context.Context, q sqlx.ExecerContext, eventID int64, day time.Time, starts, ends *string) error {
	res, err := q.ExecContext(ctx, `UPDATE event_days SET opens_at = $3::time, closes_at = $4::time WHERE event_id = $1 AND day = $2`,
		eventID, day, starts, ends)
	if err != nil {
		return wrap("set day times", err)
	}
	return mustAffect(res, "set day times")
}

package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// PaperPerson is a line of an event day's attendance list: a registration
// registered for the day, or admitted on it, with its live admission that
// day if any. Anonymised registrations have no name and are left out.
type PaperPerson struct {
	RegistrationID int64      `db:"registration_id"`
	Status         Status     `db:"status"`
	FirstName      string     `db:"first_name"`
	LastName       string     `db:"last_name"`
	Organisation   string     `db:"organisation"`
	City           string     `db:"city"`
	Country        string     `db:"country"`
	Registered     bool       `db:"registered"` // registered for the day
	AdmissionID    *int64     `db:"admission_id"`
	Method         *string    `db:"method"` // the live admission's method
	AdmittedAt     *time.Time `db:"admitted_at"`
	Device         string     `db:"device"`
	Staff          string     `db:"staff"`
}

const selectPaperList = `
SELECT r.id AS registration_id, r.status, r.first_name, r.last_name, r.organisation, btrim(r.city) AS city, r.country,
	(rd.registration_id IS NOT NULL) AS registered, a.id AS admission_id, a.method, a.admitted_at,
	coalesce(d.name, '') AS device, coalesce(u.name, '') AS staff
FROM registrations r
LEFT JOIN registration_days rd ON rd.registration_id = r.id AND rd.day = $2
LEFT JOIN admissions a ON a.registration_id = r.id AND a.day = $2 AND a.undone_at IS NULL
LEFT JOIN devices d ON d.id = a.device_id
LEFT JOIN users u ON u.id = a.user_id
WHERE r.event_id = $1 AND r.anonymised_at IS NULL AND (rd.registration_id IS NOT NULL OR a.id IS NOT NULL)`

// PaperList lists an event day's people for ticking attendance from a paper
// list, in no particular order (the caller sorts by the reader's language).
func (s *Store) PaperList(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time) ([]PaperPerson, error) {
	var ps []PaperPerson
	err := sqlx.SelectContext(ctx, q, &ps, selectPaperList, eventID, day)
	return ps, wrap("paper list", err)
}

const lockPaperPeople = `
SELECT r.id AS registration_id, r.status, r.first_name, r.last_name, r.organisation, btrim(r.city) AS city, r.country,
	EXISTS (SELECT 1 FROM registration_days rd WHERE rd.registration_id = r.id AND rd.day = $2) AS registered,
	a.id AS admission_id, a.method, a.admitted_at, '' AS device, '' AS staff
FROM registrations r
LEFT JOIN admissions a ON a.registration_id = r.id AND a.day = $2 AND a.undone_at IS NULL
WHERE r.event_id = $1 AND r.id = ANY($3) AND r.anonymised_at IS NULL
ORDER BY r.id
FOR SHARE OF r`

// LockPaperPeople reads the event's registrations among ids with whether
// each is registered for day and its live admission that day. A share lock
// keeps them from being cancelled or changed until the transaction ends; it
// does not conflict with the key-share lock a door scan's admission takes on
// its registration (an update lock would: the scan, having inserted its
// admission, would wait for this transaction while this one waits on the
// unique index for the scan). Ids of other events and anonymised
// registrations are not returned.
func (s *Store) LockPaperPeople(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time, ids []int64) ([]PaperPerson, error) {
	var ps []PaperPerson
	err := sqlx.SelectContext(ctx, q, &ps, lockPaperPeople, eventID, day, pq.Array(ids))
	return ps, wrap("lock paper people", err)
}

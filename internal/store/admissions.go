package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Admission is a person let in on one event day.
type Admission struct {
	ID             int64      `db:"id"`
	EventID        int64      `db:"event_id"`
	RegistrationID int64      `db:"registration_id"`
	Day            time.Time  `db:"day"`
	AdmittedAt     time.Time  `db:"admitted_at"`
	DeviceID       *int64     `db:"device_id"`
	UserID         *int64     `db:"user_id"`
	ScanID         *string    `db:"scan_id"`
	Method         string     `db:"method"`
	Reason         string     `db:"reason"`
	UndoneAt       *time.Time `db:"undone_at"`
}

const insertAdmission = `
INSERT INTO admissions (event_id, registration_id, day, admitted_at, device_id, user_id, scan_id, method, reason)
VALUES (:event_id, :registration_id, :day, :admitted_at, :device_id, :user_id, :scan_id, :method, :reason)
RETURNING id`

// InsertAdmission records an admission; a second one for the same person and
// day fails with ErrConflict (the partial unique index admissions_once_per_day).
func (s *Store) InsertAdmission(ctx context.Context, q sqlx.ExtContext, a *Admission) error {
	if a.Method == "" {
		a.Method = "qr"
	}
	return namedGet(ctx, q, &a.ID, insertAdmission, a)
}

const countAdmitted = `
SELECT count(DISTINCT registration_id) FROM admissions WHERE event_id = $1 AND undone_at IS NULL`

// CountAttended counts unique people admitted to an event at least once.
func (s *Store) CountAttended(ctx context.Context, q sqlx.QueryerContext, eventID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, countAdmitted, eventID)
	return n, wrap("count attended", err)
}

package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

const selectEventRegistrations = `SELECT ` + registrationColumns + ` FROM registrations
WHERE event_id = $1 AND anonymised_at IS NULL ORDER BY id`

// EventRegistrations lists an event's registrations that still name a person
// (an import matches its rows against them).
func (s *Store) EventRegistrations(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]Registration, error) {
	var rs []Registration
	err := sqlx.SelectContext(ctx, q, &rs, selectEventRegistrations, eventID)
	return rs, wrap("event registrations", err)
}

// RegistrationDayList is the days of one registration, or its live admissions' days.
type RegistrationDayList struct {
	RegistrationID int64          `db:"registration_id"`
	Days           pq.StringArray `db:"days"`
}

const selectEventRegistrationDays = `
SELECT registration_id, array_agg(day::text ORDER BY day) AS days
FROM registration_days WHERE event_id = $1 GROUP BY registration_id`

// EventRegistrationDays maps each registration of an event to its days (ISO dates, in order).
func (s *Store) EventRegistrationDays(ctx context.Context, q sqlx.QueryerContext, eventID int64) (map[int64][]string, error) {
	return dayLists(ctx, q, selectEventRegistrationDays, eventID, "event registration days")
}

const selectEventAdmittedDays = `
SELECT registration_id, array_agg(day::text ORDER BY day) AS days
FROM admissions WHERE event_id = $1 AND undone_at IS NULL GROUP BY registration_id`

// EventAdmittedDays maps each registration of an event to the days it has a live admission on.
func (s *Store) EventAdmittedDays(ctx context.Context, q sqlx.QueryerContext, eventID int64) (map[int64][]string, error) {
	return dayLists(ctx, q, selectEventAdmittedDays, eventID, "event admitted days")
}

func dayLists(ctx context.Context, q sqlx.QueryerContext, query string, eventID int64, op string) (map[int64][]string, error) {
	var ls []RegistrationDayList
	if err := sqlx.SelectContext(ctx, q, &ls, query, eventID); err != nil {
		return nil, wrap(op, err)
	}
	m := make(map[int64][]string, len(ls))
	for _, l := range ls {
		m[l.RegistrationID] = l.Days
	}
	return m, nil
}

const raiseEventCapacity = `
UPDATE events SET capacity = confirmed_count + 1
WHERE id = $1 AND capacity IS NOT NULL AND confirmed_count >= capacity
RETURNING capacity`

const raiseDayCapacity = `
UPDATE event_days SET capacity = confirmed_count + 1
WHERE event_id = $1 AND day = ANY($2::date[]) AND capacity IS NOT NULL AND confirmed_count >= capacity`

// RaiseSeatCapacity makes room for one more seat on the event and on each of
// days where they are full, by raising their capacity to fit (a coordinator's
// import over capacity). It returns the event's new capacity, or nil when the
// event's own capacity did not change.
func (s *Store) RaiseSeatCapacity(ctx context.Context, q sqlx.ExtContext, eventID int64, days []time.Time) (*int, error) {
	var caps []int
	if err := sqlx.SelectContext(ctx, q, &caps, raiseEventCapacity, eventID); err != nil {
		return nil, wrap("raise capacity", err)
	}
	if len(days) > 0 {
		if _, err := q.ExecContext(ctx, raiseDayCapacity, eventID, pqArray(dateStrings(days))); err != nil {
			return nil, wrap("raise day capacity", err)
		}
	}
	if len(caps) == 0 {
		return nil, nil
	}
	return &caps[0], nil
}

// ImportUpload is a file uploaded on the admin's import screen, kept between
// its preview and its application.
type ImportUpload struct {
	ID        int64     `db:"id"`
	EventID   int64     `db:"event_id"`
	UserID    int64     `db:"user_id"`
	SHA256    []byte    `db:"sha256"`
	FileName  string    `db:"file_name"`
	Content   []byte    `db:"content"`
	CreatedAt time.Time `db:"created_at"`
}

// ImportUploadTTL is how long an uploaded file waits for its application.
const ImportUploadTTL = time.Hour

const deleteStaleImportUploads = `DELETE FROM import_uploads WHERE created_at < $1`

const upsertImportUpload = `
INSERT INTO import_uploads (event_id, user_id, sha256, file_name, content, created_at)
VALUES (:event_id, :user_id, :sha256, :file_name, :content, :created_at)
ON CONFLICT (event_id, user_id, sha256) DO UPDATE SET file_name = EXCLUDED.file_name, created_at = EXCLUDED.created_at
RETURNING id`

// SaveImportUpload keeps an uploaded file (the same file again by the same
// person for the same event replaces it) and deletes the files older than
// ImportUploadTTL, everyone's: nothing else cleans the table.
func (s *Store) SaveImportUpload(ctx context.Context, q sqlx.ExtContext, u *ImportUpload) error {
	if _, err := q.ExecContext(ctx, deleteStaleImportUploads, u.CreatedAt.Add(-ImportUploadTTL)); err != nil {
		return wrap("delete stale import uploads", err)
	}
	return namedGet(ctx, q, &u.ID, upsertImportUpload, u)
}

const selectImportUpload = `
SELECT id, event_id, user_id, sha256, file_name, content, created_at FROM import_uploads
WHERE event_id = $1 AND user_id = $2 AND sha256 = $3 AND created_at >= $4`

// ImportUpload finds the file a person uploaded for an event, by its SHA-256,
// if it is not older than ImportUploadTTL at now.
func (s *Store) ImportUpload(ctx context.Context, q sqlx.QueryerContext, eventID, userID int64, sum []byte, now time.Time) (ImportUpload, error) {
	var u ImportUpload
	err := sqlx.GetContext(ctx, q, &u, selectImportUpload, eventID, userID, sum, now.Add(-ImportUploadTTL))
	return u, wrap("import upload", err)
}

const deleteImportUpload = `DELETE FROM import_uploads WHERE id = $1`

// DeleteImportUpload removes an uploaded file once it is applied.
func (s *Store) DeleteImportUpload(ctx context.Context, q sqlx.ExecerContext, id int64) error {
	_, err := q.ExecContext(ctx, deleteImportUpload, id)
	return wrap("delete import upload", err)
}

const discardImportUploads = `
DELETE FROM import_uploads u USING events e
WHERE e.id = u.event_id AND ($1 = 0 OR e.project_id = $1)`

// DiscardImportUploads deletes the uploaded files waiting for their
// application, of one project (0: every project). An erasure or an
// anonymisation cannot edit a spreadsheet: the file goes, and the coordinator
// uploads it again (it was kept an hour at most).
func (s *Store) DiscardImportUploads(ctx context.Context, q sqlx.ExecerContext, projectID int64) (int64, error) {
	res, err := q.ExecContext(ctx, discardImportUploads, projectID)
	if err != nil {
		return 0, wrap("discard import uploads", err)
	}
	return res.RowsAffected()
}

package store

import (
	"context"
	"database/sql"
	"errors"
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

const admitOnce = `
INSERT INTO admissions (event_id, registration_id, day, admitted_at, device_id, user_id, scan_id, method, reason)
VALUES (:event_id, :registration_id, :day, :admitted_at, :device_id, :user_id, :scan_id, :method, :reason)
ON CONFLICT (registration_id, day) WHERE undone_at IS NULL DO NOTHING
RETURNING id`

// AdmitOnce records an admission unless the person is already in on that day,
// reporting whether it did. The partial unique index admissions_once_per_day
// decides, so concurrent callers on any instance get exactly one true.
func (s *Store) AdmitOnce(ctx context.Context, q sqlx.ExtContext, a *Admission) (bool, error) {
	if a.Method == "" {
		a.Method = "qr"
	}
	var h *sqlx.NamedStmt
	if hs := s.hot(); hs != nil {
		h = hs.admitOnce
	}
	err := getHotNamed(ctx, q, h, &a.ID, admitOnce, a)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("admit", err)
}

// CurrentAdmission is a live admission with where it happened.
type CurrentAdmission struct {
	Admission
	DeviceName *string `db:"device_name"`
	UserName   *string `db:"user_name"`
}

const selectCurrentAdmission = `
SELECT a.id, a.event_id, a.registration_id, a.day, a.admitted_at, a.device_id, a.user_id, a.scan_id::text AS scan_id,
	a.method, a.reason, a.undone_at, d.name AS device_name, u.name AS user_name
FROM admissions a
LEFT JOIN devices d ON d.id = a.device_id
LEFT JOIN users u ON u.id = a.user_id
WHERE a.registration_id = $1 AND a.day = $2 AND a.undone_at IS NULL
FOR UPDATE OF a`

// LockAdmission returns the live admission of a person on a day, locking it
// until the transaction ends.
func (s *Store) LockAdmission(ctx context.Context, q sqlx.QueryerContext, registrationID int64, day time.Time) (CurrentAdmission, error) {
	var a CurrentAdmission
	var h *sqlx.Stmt
	if hs := s.hot(); hs != nil {
		h = hs.lockAdmission
	}
	err := getHot(ctx, q, h, &a, selectCurrentAdmission, registrationID, day)
	return a, wrap("current admission", err)
}

const moveAdmission = `
UPDATE admissions SET admitted_at = $2, device_id = $3, user_id = $4, scan_id = $5, method = $6
WHERE id = $1 AND undone_at IS NULL AND admitted_at > $2
RETURNING id`

// MoveAdmissionEarlier gives an admission to an earlier scan (offline uploads:
// the first by time wins). It reports false when the admission is not later.
func (s *Store) MoveAdmissionEarlier(ctx context.Context, q sqlx.QueryerContext, id int64, at time.Time, deviceID, userID *int64, scanID, method string) (bool, error) {
	var got int64
	err := sqlx.GetContext(ctx, q, &got, moveAdmission, id, at, deviceID, userID, scanID, method)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("move admission", err)
}

const undoAdmission = `
UPDATE admissions SET undone_at = now(), undone_by = $3
WHERE registration_id = $1 AND day = $2 AND undone_at IS NULL
RETURNING id, event_id, registration_id, day, admitted_at, device_id, user_id, scan_id::text AS scan_id, method, reason, undone_at`

// UndoAdmission cancels a person's live admission on a day; none gives ErrNotFound.
func (s *Store) UndoAdmission(ctx context.Context, q sqlx.QueryerContext, registrationID int64, day time.Time, by *int64) (Admission, error) {
	var a Admission
	err := sqlx.GetContext(ctx, q, &a, undoAdmission, registrationID, day, by)
	return a, wrap("undo admission", err)
}

// DoubleEntry is a person admitted by two devices on one day while offline.
type DoubleEntry struct {
	ID              int64      `db:"id"`
	EventID         int64      `db:"event_id"`
	RegistrationID  *int64     `db:"registration_id"`
	Day             time.Time  `db:"day"`
	KeptScanID      *string    `db:"kept_scan_id"`
	OtherScanID     string     `db:"other_scan_id"`
	KeptDeviceID    *int64     `db:"kept_device_id"`
	OtherDeviceID   *int64     `db:"other_device_id"`
	KeptAt          *time.Time `db:"kept_at"`
	OtherAt         time.Time  `db:"other_at"`
	DetectedAt      time.Time  `db:"detected_at"`
	Name            string     `db:"name"`
	KeptDeviceName  *string    `db:"kept_device_name"`
	OtherDeviceName *string    `db:"other_device_name"`
}

const insertDoubleEntry = `
INSERT INTO double_entries (event_id, registration_id, day, kept_scan_id, other_scan_id, kept_device_id, other_device_id, kept_at, other_at)
VALUES (:event_id, :registration_id, :day, :kept_scan_id, :other_scan_id, :kept_device_id, :other_device_id, :kept_at, :other_at)
ON CONFLICT (other_scan_id) DO NOTHING`

// InsertDoubleEntry records a double entry (once per losing scan).
func (s *Store) InsertDoubleEntry(ctx context.Context, q sqlx.ExtContext, d DoubleEntry) error {
	_, err := sqlx.NamedExecContext(ctx, q, insertDoubleEntry, d)
	return wrap("insert double entry", err)
}

const selectDoubleEntries = `
SELECT de.id, de.event_id, de.registration_id, de.day, de.kept_scan_id::text AS kept_scan_id,
	de.other_scan_id::text AS other_scan_id, de.kept_device_id, de.other_device_id, de.kept_at, de.other_at,
	de.detected_at, coalesce(r.first_name || ' ' || r.last_name, '') AS name,
	kd.name AS kept_device_name, od.name AS other_device_name
FROM double_entries de
LEFT JOIN registrations r ON r.id = de.registration_id
LEFT JOIN devices kd ON kd.id = de.kept_device_id
LEFT JOIN devices od ON od.id = de.other_device_id
WHERE de.event_id = $1 ORDER BY de.detected_at DESC, de.id DESC LIMIT 200`

// DoubleEntries lists an event's double entries, newest first.
func (s *Store) DoubleEntries(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]DoubleEntry, error) {
	var ds []DoubleEntry
	err := sqlx.SelectContext(ctx, q, &ds, selectDoubleEntries, eventID)
	return ds, wrap("double entries", err)
}

// DoorCounts are the live numbers of one event day.
type DoorCounts struct {
	Admitted      int `db:"admitted"`
	Registered    int `db:"registered"`
	Expected      int `db:"expected"`
	DoubleEntries int `db:"double_entries"`
	// Inside is the admitted who have not gone out (events that count exits).
	Inside int `db:"inside"`
}

const selectDoorCounts = `
WITH reg AS (
	SELECT rd.registration_id FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id
	WHERE rd.event_id = $1 AND rd.day = $2 AND r.status = 'confirmed'
), adm AS (
	SELECT registration_id FROM admissions WHERE event_id = $1 AND day = $2 AND undone_at IS NULL
)
SELECT (SELECT count(*) FROM adm) AS admitted,
	(SELECT count(*) FROM reg) AS registered,
	(SELECT count(*) FROM reg WHERE registration_id NOT IN (SELECT registration_id FROM adm)) AS expected,
	(SELECT count(*) FROM double_entries WHERE event_id = $1 AND day = $2) AS double_entries,
	(SELECT count(*) FROM adm WHERE NOT EXISTS (SELECT 1 FROM door_exits x WHERE x.registration_id = adm.registration_id AND x.day = $2)) AS inside`

// DoorCounts counts a day: unique people admitted, registered for the day, and still expected.
func (s *Store) DoorCounts(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time) (DoorCounts, error) {
	var c DoorCounts
	err := sqlx.GetContext(ctx, q, &c, selectDoorCounts, eventID, day)
	return c, wrap("door counts", err)
}

// DoorCount is the number of admissions made at one door (a device, or staff at the desk).
type DoorCount struct {
	DeviceID *int64 `db:"device_id"`
	Door     string `db:"door"`
	Admitted int    `db:"admitted"`
}

const selectPerDoor = `
SELECT a.device_id, coalesce(d.name, '') AS door, count(*) AS admitted
FROM admissions a LEFT JOIN devices d ON d.id = a.device_id
WHERE a.event_id = $1 AND a.day = $2 AND a.undone_at IS NULL
GROUP BY a.device_id, d.name ORDER BY count(*) DESC, d.name`

// PerDoor counts a day's admissions by device; staff admissions have no device.
func (s *Store) PerDoor(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time) ([]DoorCount, error) {
	var cs []DoorCount
	err := sqlx.SelectContext(ctx, q, &cs, selectPerDoor, eventID, day)
	return cs, wrap("per door", err)
}

const selectAdmittedOn = `
SELECT registration_id FROM admissions WHERE event_id = $1 AND day = $2 AND undone_at IS NULL ORDER BY registration_id`

// AdmittedOn lists the registrations admitted on a day (for the scanners' offline list).
func (s *Store) AdmittedOn(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time) ([]int64, error) {
	var ids []int64
	err := sqlx.SelectContext(ctx, q, &ids, selectAdmittedOn, eventID, day)
	return ids, wrap("admitted on", err)
}

const takeWalkInSeat = `
WITH e AS (UPDATE events SET confirmed_count = confirmed_count + 1 WHERE id = $1 RETURNING id)
UPDATE event_days SET confirmed_count = confirmed_count + 1 WHERE event_id = (SELECT id FROM e) AND day = $2`

// TakeWalkInSeat counts a walk-in on the event's and the day's seat counters.
// A full event fails the counters' CHECK (ErrConflict).
func (s *Store) TakeWalkInSeat(ctx context.Context, q sqlx.ExecerContext, eventID int64, day time.Time) error {
	_, err := q.ExecContext(ctx, takeWalkInSeat, eventID, day)
	return wrap("walk-in seat", err)
}

// RecordWalkInConsent stores the privacy consent a walk-in gave at the desk.
func (s *Store) RecordWalkInConsent(ctx context.Context, q sqlx.ExecerContext, registrationID int64, noticeVersion *int) error {
	_, err := q.ExecContext(ctx, `INSERT INTO consents (registration_id, kind, given, notice_version) VALUES ($1, 'privacy_notice', true, $2)`,
		registrationID, noticeVersion)
	return wrap("walk-in consent", err)
}

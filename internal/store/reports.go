package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The funder reports read only through the queries in this file, so that the
// dashboard, the exports, the signed lists and the API always agree.
//
// A direct participant is a registration with at least one live admission
// (undone_at IS NULL) at its event. Its kind is computed here, once:
//   - local:   participation 'local' (from the host town);
//   - invited: participation 'invited', sent by a partner (partner_id set),
//     from a country other than the event's;
//   - other:   everyone else.
//
// Eligibility (the rule set's countries) is applied by the report package on
// the country column, because the rule set can be chosen per report.

// attendeeKind is the SQL definition of local / invited / other.
const attendeeKind = `CASE
	WHEN r.participation = 'local' THEN 'local'
	WHEN r.participation = 'invited' AND r.partner_id IS NOT NULL AND r.country <> e.country THEN 'invited'
	ELSE 'other' END`

// RegistrationGroup is a number of an event's registrations sharing a
// status, the days they were admitted on, and every attribute the reports
// break down by. One pass over the registrations and their admissions gives
// the status counts, the direct participants' breakdowns and the days.
type RegistrationGroup struct {
	EventID   int64          `db:"event_id"`
	Status    Status         `db:"status"`
	Days      pq.StringArray `db:"days"` // days with a live admission, sorted; empty: never admitted
	Country   string         `db:"country"`
	City      string         `db:"city"`
	Kind      string         `db:"kind"`
	PartnerID *int64         `db:"partner_id"`
	AgeBand   string         `db:"age_band"`
	Gender    string         `db:"gender"`
	N         int            `db:"n"`
}

// Admitted reports whether the group's people are direct participants.
func (g RegistrationGroup) Admitted() bool { return len(g.Days) > 0 }

// The admissions are folded per registration once and hash-joined: a
// correlated subquery per registration costs an index probe each on large
// projects. One live admission per registration and day
// (admissions_once_per_day), so the days array has no repeats.
const selectRegistrationGroups = `
WITH adm AS (
	SELECT a.event_id, a.registration_id, array_agg(a.day::text ORDER BY a.day) AS days
	FROM admissions a
	WHERE a.event_id = ANY($1) AND a.undone_at IS NULL
	GROUP BY a.event_id, a.registration_id
)
SELECT r.event_id, r.status, coalesce(adm.days, '{}') AS days, r.country, btrim(r.city) AS city,
	` + attendeeKind + ` AS kind, r.partner_id, r.age_band, r.gender, count(*) AS n
FROM registrations r
JOIN events e ON e.id = r.event_id
LEFT JOIN adm ON adm.event_id = r.event_id AND adm.registration_id = r.id
WHERE r.event_id = ANY($1)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`

// RegistrationGroupsFromScratch is RegistrationGroups computed from the
// registrations and admissions themselves: the definition the maintained
// counts (report_counts.go) are checked and measured against.
func (s *Store) RegistrationGroupsFromScratch(ctx context.Context, q sqlx.QueryerContext, eventIDs []int64) ([]RegistrationGroup, error) {
	var gs []RegistrationGroup
	err := sqlx.SelectContext(ctx, q, &gs, selectRegistrationGroups, pq.Array(eventIDs))
	return gs, wrap("registration groups", err)
}

// DayRegistered is the number of registrations (not cancelled) for one day.
type DayRegistered struct {
	EventID int64     `db:"event_id"`
	Day     time.Time `db:"day"`
	N       int       `db:"n"`
}

const selectDayRegistered = `
SELECT rd.event_id, rd.day, count(*) AS n
FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id
WHERE rd.event_id = ANY($1) AND r.status <> 'cancelled'
GROUP BY 1, 2`

// DaysRegisteredFromScratch is DaysRegistered computed from the registrations.
func (s *Store) DaysRegisteredFromScratch(ctx context.Context, q sqlx.QueryerContext, eventIDs []int64) ([]DayRegistered, error) {
	var ds []DayRegistered
	err := sqlx.SelectContext(ctx, q, &ds, selectDayRegistered, pq.Array(eventIDs))
	return ds, wrap("days registered", err)
}

// ArrivalSlot is the number of admissions in one quarter hour of a day, in
// the event's time zone (slot 0 is 00:00-00:15).
type ArrivalSlot struct {
	Day  time.Time `db:"day"`
	Slot int       `db:"slot"`
	N    int       `db:"n"`
}

const selectArrivals = `
SELECT a.day, (extract(hour FROM a.admitted_at AT TIME ZONE e.time_zone) * 4
	+ floor(extract(minute FROM a.admitted_at AT TIME ZONE e.time_zone) / 15))::int AS slot, count(*) AS n
FROM admissions a JOIN events e ON e.id = a.event_id
WHERE a.event_id = $1 AND a.undone_at IS NULL
GROUP BY 1, 2
ORDER BY 1, 2`

// Arrivals counts an event's admissions per day and quarter hour.
func (s *Store) Arrivals(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]ArrivalSlot, error) {
	var as []ArrivalSlot
	err := sqlx.SelectContext(ctx, q, &as, selectArrivals, eventID)
	return as, wrap("arrivals", err)
}

// ParticipantRow is one registration as the lists and exports show it.
type ParticipantRow struct {
	ID            int64          `db:"id"`
	Status        Status         `db:"status"`
	FirstName     string         `db:"first_name"`
	LastName      string         `db:"last_name"`
	Organisation  string         `db:"organisation"`
	City          string         `db:"city"`
	Country       string         `db:"country"`
	Email         *string        `db:"email"`
	Phone         string         `db:"phone"`
	Participation Participation  `db:"participation"`
	Kind          string         `db:"kind"`
	PartnerID     *int64         `db:"partner_id"`
	PartnerSlug   string         `db:"partner_slug"`
	PartnerOrg    string         `db:"partner_org"`
	PartnerCity   string         `db:"partner_city"`
	AgeBand       string         `db:"age_band"`
	Gender        string         `db:"gender"`
	Language      string         `db:"language"`
	DaysAdmitted  pq.StringArray `db:"days_admitted"`
	FirstAdmitted *time.Time     `db:"first_admitted"`
	Signed        bool           `db:"signed"`
	RegisteredAt  time.Time      `db:"created_at"`
	Erased        bool           `db:"erased"`     // at the person's request
	Anonymised    bool           `db:"anonymised"` // erased, or past retention
}

// Who selects the registrations of a participant listing.
type Who string

// Listings.
const (
	WhoAttended   Who = "attended"   // direct participants (the lists)
	WhoRegistered Who = "registered" // not cancelled
	WhoAll        Who = "all"
)

const selectParticipants = `
SELECT r.id, r.status, r.first_name, r.last_name, r.organisation, btrim(r.city) AS city, r.country, r.email, r.phone,
	r.participation, ` + attendeeKind + ` AS kind, r.partner_id,
	coalesce(p.slug, '') AS partner_slug, coalesce(p.organisation, '') AS partner_org, coalesce(p.city, '') AS partner_city,
	r.age_band, r.gender, r.language,
	coalesce(ad.days, '{}') AS days_admitted, ad.first_at AS first_admitted,
	EXISTS (SELECT 1 FROM signatures sg WHERE sg.event_id = r.event_id AND sg.registration_id = r.id) AS signed,
	r.created_at, r.erased_at IS NOT NULL AS erased, r.anonymised_at IS NOT NULL AS anonymised
FROM registrations r
JOIN events e ON e.id = r.event_id
LEFT JOIN partners p ON p.id = r.partner_id
LEFT JOIN LATERAL (
	SELECT array_agg(a.day::text ORDER BY a.day) AS days, min(a.admitted_at) AS first_at
	FROM admissions a
	WHERE a.event_id = r.event_id AND a.registration_id = r.id AND a.undone_at IS NULL
) ad ON true
WHERE r.event_id = $1
  AND ($2::text = 'all' OR ($2::text = 'registered' AND r.status <> 'cancelled') OR ($2::text = 'attended' AND ad.first_at IS NOT NULL))
ORDER BY CASE ` + attendeeKind + ` WHEN 'local' THEN 0 WHEN 'invited' THEN 1 ELSE 2 END,
	coalesce(p.position, 0), partner_city, lower(r.last_name), lower(r.first_name), r.id`

// EachParticipant streams an event's registrations (lists order: local,
// invited by partner, other; then by name) to fn, one row at a time, so that
// exports of any size use constant memory.
func (s *Store) EachParticipant(ctx context.Context, q sqlx.QueryerContext, eventID int64, who Who, fn func(ParticipantRow) error) error {
	rows, err := q.QueryxContext(ctx, selectParticipants, eventID, string(who))
	if err != nil {
		return wrap("participants", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p ParticipantRow
		if err := rows.StructScan(&p); err != nil {
			return wrap("participants", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return wrap("participants", rows.Err())
}

// Participants lists an event's registrations in the lists' order.
func (s *Store) Participants(ctx context.Context, q sqlx.QueryerContext, eventID int64, who Who) ([]ParticipantRow, error) {
	var ps []ParticipantRow
	err := s.EachParticipant(ctx, q, eventID, who, func(p ParticipantRow) error {
		ps = append(ps, p)
		return nil
	})
	return ps, err
}

// Signature is an electronic signature captured at the signing desk.
type Signature struct {
	ID             int64     `db:"id"`
	EventID        int64     `db:"event_id"`
	RegistrationID int64     `db:"registration_id"`
	Day            time.Time `db:"day"`
	ImagePNG       []byte    `db:"image_png"`
	SHA256         []byte    `db:"sha256"`
	DeviceID       *int64    `db:"device_id"`
	DeviceName     string    `db:"device_name"`
	UserID         *int64    `db:"user_id"`
	UserName       string    `db:"user_name"`
	CapturedAt     time.Time `db:"captured_at"`
}

const insertSignature = `
INSERT INTO signatures (event_id, registration_id, day, image_png, sha256, device_id, user_id, captured_at)
VALUES (:event_id, :registration_id, :day, :image_png, :sha256, :device_id, :user_id, :captured_at)
RETURNING id`

// InsertSignature stores a signature; a second one for the same person and
// day fails with ErrConflict, so a signature once given is never replaced.
func (s *Store) InsertSignature(ctx context.Context, q sqlx.ExtContext, sg *Signature) error {
	return namedGet(ctx, q, &sg.ID, insertSignature, sg)
}

const selectSignatures = `
SELECT sg.id, sg.event_id, sg.registration_id, sg.day,
	CASE WHEN $2 THEN sg.image_png ELSE ''::bytea END AS image_png, sg.sha256, sg.device_id,
	coalesce(d.name, '') AS device_name, sg.user_id, coalesce(u.name, '') AS user_name, sg.captured_at
FROM signatures sg LEFT JOIN devices d ON d.id = sg.device_id LEFT JOIN users u ON u.id = sg.user_id
WHERE sg.event_id = $1
ORDER BY sg.registration_id, sg.day`

// Signatures lists an event's signatures, with their images when images is
// set (the PDF lists) and without them otherwise (a dashboard needs only the digests).
func (s *Store) Signatures(ctx context.Context, q sqlx.QueryerContext, eventID int64, images bool) ([]Signature, error) {
	var ss []Signature
	err := sqlx.SelectContext(ctx, q, &ss, selectSignatures, eventID, images)
	return ss, wrap("signatures", err)
}

// SigningCandidate is a person admitted on a day, for the signing desk.
type SigningCandidate struct {
	RegistrationID int64     `db:"registration_id"`
	FirstName      string    `db:"first_name"`
	LastName       string    `db:"last_name"`
	Organisation   string    `db:"organisation"`
	Country        string    `db:"country"`
	AdmittedAt     time.Time `db:"admitted_at"`
	Signed         bool      `db:"signed"`
}

const selectSigningCandidates = `
SELECT r.id AS registration_id, r.first_name, r.last_name, r.organisation, r.country, a.admitted_at,
	EXISTS (SELECT 1 FROM signatures sg WHERE sg.registration_id = r.id AND sg.day = a.day) AS signed
FROM admissions a JOIN registrations r ON r.id = a.registration_id
WHERE a.event_id = $1 AND a.day = $2::date AND a.undone_at IS NULL AND r.anonymised_at IS NULL
  AND ($3::text = '' OR (r.first_name || ' ' || r.last_name) ILIKE '%' || $3 || '%'
       OR (r.last_name || ' ' || r.first_name) ILIKE '%' || $3 || '%')
  AND ($4::bigint = 0 OR r.id = $4::bigint)
ORDER BY a.admitted_at DESC, r.id
LIMIT $5`

// SigningCandidates lists the people admitted on day (newest first), never an
// erased or anonymised one (a new signature would store their image again), matching
// a name fragment when search is set, or the one registration when regID is.
func (s *Store) SigningCandidates(ctx context.Context, q sqlx.QueryerContext, eventID int64, day time.Time, search string, regID int64, limit int) ([]SigningCandidate, error) {
	var cs []SigningCandidate
	err := sqlx.SelectContext(ctx, q, &cs, selectSigningCandidates, eventID, day.Format("2006-01-02"), search, regID, limit)
	return cs, wrap("signing candidates", err)
}

// BadgeRow is what a name badge shows.
type BadgeRow struct {
	RegistrationID int64  `db:"id"`
	FirstName      string `db:"first_name"`
	LastName       string `db:"last_name"`
	Organisation   string `db:"organisation"`
	City           string `db:"city"`
	Country        string `db:"country"`
	Payload        string `db:"payload"` // the live ticket's QR text, "" if none
}

const selectBadges = `
SELECT r.id, r.first_name, r.last_name, r.organisation, btrim(r.city) AS city, r.country, coalesce(t.payload, '') AS payload
FROM registrations r
LEFT JOIN tickets t ON t.registration_id = r.id AND t.revoked_at IS NULL
WHERE r.event_id = $1 AND r.anonymised_at IS NULL
  AND (($2::bigint = 0 AND r.status = 'confirmed') OR ($2::bigint <> 0 AND r.id = $2::bigint AND r.status <> 'cancelled'))
ORDER BY lower(r.last_name), lower(r.first_name), r.id`

// Badges lists the confirmed registrations of an event for name badges, or
// the one registration regID (a walk-in) when it is not 0.
func (s *Store) Badges(ctx context.Context, q sqlx.QueryerContext, eventID, regID int64) ([]BadgeRow, error) {
	var bs []BadgeRow
	err := sqlx.SelectContext(ctx, q, &bs, selectBadges, eventID, regID)
	return bs, wrap("badges", err)
}

// ScanRow is one line of the scan log export.
type ScanRow struct {
	ID             int64     `db:"id"`
	ScannedAt      time.Time `db:"scanned_at"`
	ReceivedAt     time.Time `db:"received_at"`
	Day            time.Time `db:"day"`
	Device         string    `db:"device"`
	Staff          string    `db:"staff"`
	Method         string    `db:"method"`
	Result         string    `db:"result"`
	Reason         string    `db:"reason"`
	Offline        bool      `db:"offline"`
	DoubleEntry    bool      `db:"double_entry"`
	RegistrationID *int64    `db:"registration_id"`
	Participant    string    `db:"participant"`
}

const selectScanLog = `
SELECT s.id, s.scanned_at, s.received_at, s.day, coalesce(d.name, '') AS device, coalesce(u.name, '') AS staff,
	s.method, s.result, s.reason, s.offline,
	EXISTS (SELECT 1 FROM double_entries de WHERE de.event_id = s.event_id
		AND (de.other_scan_id = s.scan_id OR de.kept_scan_id = s.scan_id)) AS double_entry,
	s.registration_id, coalesce(r.first_name || ' ' || r.last_name, '') AS participant
FROM scans s
LEFT JOIN devices d ON d.id = s.device_id
LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN registrations r ON r.id = s.registration_id
WHERE s.event_id = $1
ORDER BY s.scanned_at, s.id`

// EachScan streams an event's full scan log, oldest first.
func (s *Store) EachScan(ctx context.Context, q sqlx.QueryerContext, eventID int64, fn func(ScanRow) error) error {
	rows, err := q.QueryxContext(ctx, selectScanLog, eventID)
	if err != nil {
		return wrap("scan log", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ScanRow
		if err := rows.StructScan(&r); err != nil {
			return wrap("scan log", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return wrap("scan log", rows.Err())
}

const countScans = `SELECT count(*) FROM scans WHERE event_id = $1`

// CountScans counts an event's scans (for export progress).
func (s *Store) CountScans(ctx context.Context, q sqlx.QueryerContext, eventID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, countScans, eventID)
	return n, wrap("count scans", err)
}

// ReportQueries names the report queries computed from scratch, for the
// tests that check their plans and the load test's bare-database figure.
var ReportQueries = map[string]string{
	"registration_groups": selectRegistrationGroups,
	"days_registered":     selectDayRegistered,
	"participants":        selectParticipants,
}

// ReportSnapshot runs fn in a read-only repeatable-read transaction, so that
// every query of one report sees the same data even while the door admits
// people. The planner cannot know how few groups the report's GROUP BY
// yields (a few hundred), and with the default work_mem it sorts 100,000 rows
// on disk: more memory for this transaction keeps the grouping in a hash
// table. Hash tables get eight times work_mem (512 MB), sorts keep 64 MB:
// over 1,000,000 registrations the planner expects 900,000 groups, which do
// not fit in 128 MB, and it sorted them on disk, three times slower (the
// table holds 718 groups). JIT compilation is off: it costs more than it
// saves on these aggregates.
func (s *Store) ReportSnapshot(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.DB.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return wrap("report snapshot", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL hash_mem_multiplier = 8`); err != nil {
		return wrap("report snapshot", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	return wrap("report snapshot", tx.Commit())
}

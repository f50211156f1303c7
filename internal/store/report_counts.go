package store

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The report's counts are maintained (migration 0125): report_groups and
// report_day_counts hold the folded registrations' counts, report_dirty the
// registrations changed since. A report reads the counts corrected for the
// queued registrations, in its own snapshot, so it is exact however far the
// fold lags; folding keeps the correction small.

const reportGroupKey = `event_id, status, days, country, city, kind, partner_id, age_band, gender`

// The queued registrations' folded contribution is taken off and their live
// one added; keys whose count comes to zero are left out.
const selectRegistrationGroupsMaintained = `
WITH d AS (SELECT DISTINCT registration_id FROM report_dirty),
parts AS (
	SELECT ` + reportGroupKey + `, n FROM report_groups WHERE event_id = ANY($1)
	UNION ALL
	SELECT f.event_id, f.status, f.days, f.country, f.city, f.kind, f.partner_id, f.age_band, f.gender, -1
	FROM report_folded f JOIN d USING (registration_id) WHERE f.event_id = ANY($1)
	UNION ALL
	SELECT l.event_id, l.status, l.days, l.country, l.city, l.kind, l.partner_id, l.age_band, l.gender, 1
	FROM report_live l JOIN d USING (registration_id) WHERE l.event_id = ANY($1)
)
SELECT ` + reportGroupKey + `, sum(n)::int AS n FROM parts
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(n) <> 0`

const selectDayRegisteredMaintained = `
WITH d AS (SELECT DISTINCT registration_id FROM report_dirty),
parts AS (
	SELECT event_id, day, n FROM report_day_counts WHERE event_id = ANY($1)
	UNION ALL
	SELECT f.event_id, unnest(f.reg_days), -1 FROM report_folded f JOIN d USING (registration_id) WHERE f.event_id = ANY($1)
	UNION ALL
	SELECT l.event_id, unnest(l.reg_days), 1 FROM report_live l JOIN d USING (registration_id) WHERE l.event_id = ANY($1)
)
SELECT event_id, day, sum(n)::int AS n FROM parts GROUP BY 1, 2 HAVING sum(n) <> 0`

// RegistrationGroups counts the events' registrations by status, admission
// days (sorted) and the attributes of the breakdowns, from the maintained
// counts.
func (s *Store) RegistrationGroups(ctx context.Context, q sqlx.QueryerContext, eventIDs []int64) ([]RegistrationGroup, error) {
	var gs []RegistrationGroup
	err := sqlx.SelectContext(ctx, q, &gs, selectRegistrationGroupsMaintained, pq.Array(eventIDs))
	return gs, wrap("registration groups", err)
}

// DaysRegistered counts the events' registrations per day, from the
// maintained counts.
func (s *Store) DaysRegistered(ctx context.Context, q sqlx.QueryerContext, eventIDs []int64) ([]DayRegistered, error) {
	var ds []DayRegistered
	err := sqlx.SelectContext(ctx, q, &ds, selectDayRegisteredMaintained, pq.Array(eventIDs))
	return ds, wrap("days registered", err)
}

// queuedIDs are the queued registrations, as an array: each is then looked up
// by its key, where a join would read every registration once per fold.
const queuedIDs = `ARRAY(SELECT DISTINCT registration_id FROM report_dirty)`

// The fold, in one repeatable-read transaction: every statement sees the same
// queue, and the queue rows deleted at the end are exactly those folded (a
// change committed meanwhile keeps its row for the next fold).
var foldReport = []string{
	// The folded contributions of the queued registrations are taken off.
	`WITH old AS (DELETE FROM report_folded f WHERE f.registration_id = ANY(` + queuedIDs + `) RETURNING f.*),
g AS (
	INSERT INTO report_groups (` + reportGroupKey + `, n)
	SELECT ` + reportGroupKey + `, -count(*) FROM old GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
	ON CONFLICT (` + reportGroupKey + `) DO UPDATE SET n = report_groups.n + excluded.n)
INSERT INTO report_day_counts (event_id, day, n)
SELECT event_id, day, -count(*) FROM old, unnest(old.reg_days) day GROUP BY 1, 2
ON CONFLICT (event_id, day) DO UPDATE SET n = report_day_counts.n + excluded.n`,
	// Their live keys are folded and added.
	`WITH new AS (
	INSERT INTO report_folded
	SELECT l.registration_id, ` + reportGroupKey + `, l.reg_days FROM report_live l WHERE l.registration_id = ANY(` + queuedIDs + `)
	RETURNING *),
g AS (
	INSERT INTO report_groups (` + reportGroupKey + `, n)
	SELECT ` + reportGroupKey + `, count(*) FROM new GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
	ON CONFLICT (` + reportGroupKey + `) DO UPDATE SET n = report_groups.n + excluded.n)
INSERT INTO report_day_counts (event_id, day, n)
SELECT event_id, day, count(*) FROM new, unnest(new.reg_days) day GROUP BY 1, 2
ON CONFLICT (event_id, day) DO UPDATE SET n = report_day_counts.n + excluded.n`,
	`DELETE FROM report_groups WHERE n = 0`,
	`DELETE FROM report_day_counts WHERE n = 0`,
}

// FoldReport folds the queued registrations into the report counts and
// returns how many it folded. Folds run one at a time (the table lock, taken
// before the snapshot, so that each fold sees the one before); reports read
// on meanwhile.
func (s *Store) FoldReport(ctx context.Context) (int, error) {
	tx, err := s.DB.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return 0, wrap("fold report", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE report_groups IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return 0, wrap("fold report", err)
	}
	// Every lookup of a fold is by key, and the statistics lag behind a bulk
	// change (an import, a door's first hour): with a table's last count near
	// zero the planner would read it whole for each queued registration.
	if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off; SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '64MB'; SET LOCAL hash_mem_multiplier = 8`); err != nil {
		return 0, wrap("fold report", err)
	}
	for _, q := range foldReport {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, wrap("fold report", err)
		}
	}
	// Only the rows of this snapshot: those committed since stay queued.
	res, err := tx.ExecContext(ctx, `DELETE FROM report_dirty`)
	if err != nil {
		return 0, wrap("fold report", err)
	}
	n, _ := res.RowsAffected()
	return int(n), wrap("fold report", tx.Commit())
}

// ReportQueue counts the queued changes, up to limit.
func (s *Store) ReportQueue(ctx context.Context, q sqlx.QueryerContext, limit int) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM (SELECT 1 FROM report_dirty LIMIT $1) q`, limit)
	return n, wrap("report queue", err)
}

// FoldReportIfLong folds when at least limit changes are queued, so that a
// report's correction stays small.
func (s *Store) FoldReportIfLong(ctx context.Context, limit int) error {
	n, err := s.ReportQueue(ctx, s.DB, limit)
	if err != nil || n < limit {
		return err
	}
	_, err = s.FoldReport(ctx)
	return err
}

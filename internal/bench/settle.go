package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// settle puts the previous run's writes behind the database before the next
// measured run: the server's fold of the report changes they queued, a
// checkpoint (when the role may ask for one), then autovacuum done with the
// tables (at most a minute for all). Otherwise a run pays for the one
// before it: the paced run, last, came after four flat-out runs' worth of
// dirty pages and dead rows, and its tail was theirs. Every run, the server's
// and the bare ones alike, starts settled. It says what it did.
func settle(ctx context.Context, db *sqlx.DB) string {
	start := time.Now()
	deadline := start.Add(time.Minute)
	var did []string
	// First the server's fold of the report changes the run before queued
	// (it folds every few seconds): a flat-out run queues tens of thousands
	// at once, which a door at its pace never does, and their fold took a
	// core for seconds of the next run.
	if queued, left, err := waitFolded(ctx, db, deadline); err == nil && queued > 0 {
		if left > 0 {
			did = append(did, fmt.Sprintf("%d of %d queued report changes still queued after a minute", left, queued))
		} else {
			did = append(did, fmt.Sprintf("%d queued report changes folded", queued))
		}
	}
	if _, err := db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		did = append(did, "no checkpoint ("+err.Error()+")")
	} else {
		did = append(did, "checkpoint")
	}
	for {
		var busy int
		if err := db.GetContext(ctx, &busy, `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`); err != nil {
			return strings.Join(did, ", ") + "; autovacuum unknown (" + err.Error() + ")"
		}
		if busy == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Sprintf("%s; %d autovacuum workers still busy after a minute", strings.Join(did, ", "), busy)
		}
		if !pause(ctx) {
			return strings.Join(did, ", ")
		}
	}
	return fmt.Sprintf("%s, autovacuum idle (%.1f s)", strings.Join(did, ", "), time.Since(start).Seconds())
}

// waitFolded waits until the report queue is empty or the deadline passes:
// how many changes were queued and how many are left.
func waitFolded(ctx context.Context, db *sqlx.DB, deadline time.Time) (queued, left int, err error) {
	queued = -1
	for {
		if err := db.GetContext(ctx, &left, `SELECT count(*) FROM (SELECT 1 FROM report_dirty LIMIT 1000000) q`); err != nil {
			return 0, 0, err
		}
		if queued < 0 {
			queued = left
		}
		if left == 0 || time.Now().After(deadline) || !pause(ctx) {
			return queued, left, nil
		}
	}
}

// pause waits a moment between two looks; false when ctx ends.
func pause(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(200 * time.Millisecond):
		return true
	}
}

// checkpoints counts the checkpoints PostgreSQL has begun since its start,
// timed and requested: their difference across a run says whether one fell
// inside it.
func checkpoints(ctx context.Context, db *sqlx.DB) int64 {
	var n int64
	if err := db.GetContext(ctx, &n, `SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter`); err == nil {
		return n
	}
	// PostgreSQL 17 moved them.
	if err := db.GetContext(ctx, &n, `SELECT num_timed + num_requested FROM pg_stat_checkpointer`); err == nil {
		return n
	}
	return -1
}

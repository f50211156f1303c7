package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// settle puts the previous run's writes behind the database before the next
// measured run: a checkpoint (when the role may ask for one), then autovacuum
// done with the tables (at most a minute). Otherwise a run pays for the one
// before it: the paced run, last, came after four flat-out runs' worth of
// dirty pages and dead rows, and its tail was theirs. Every run, the server's
// and the bare ones alike, starts settled. It says what it did.
func settle(ctx context.Context, db *sqlx.DB) string {
	start := time.Now()
	did := "checkpoint"
	if _, err := db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		did = "no checkpoint (" + err.Error() + ")"
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var busy int
		if err := db.GetContext(ctx, &busy, `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`); err != nil {
			return did + "; autovacuum unknown (" + err.Error() + ")"
		}
		if busy == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Sprintf("%s; %d autovacuum workers still busy after a minute", did, busy)
		}
		select {
		case <-ctx.Done():
			return did
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Sprintf("%s, autovacuum idle (%.1f s)", did, time.Since(start).Seconds())
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

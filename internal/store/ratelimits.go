package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

const hitRateLimit = `
INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
RETURNING hits`

// HitRateLimit counts one hit of key in the window starting at start and
// returns the window's hits so far. One statement: every instance shares it.
func (s *Store) HitRateLimit(ctx context.Context, q sqlx.QueryerContext, key string, start time.Time) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, hitRateLimit, key, start)
	return n, wrap("rate limit", err)
}

const deleteRateLimits = `DELETE FROM rate_limits WHERE window_start < $1`

// PruneRateLimits deletes windows that started before cutoff.
func (s *Store) PruneRateLimits(ctx context.Context, q sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, deleteRateLimits, cutoff)
	if err != nil {
		return 0, wrap("prune rate limits", err)
	}
	return res.RowsAffected()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ResultsPublishedAt is when the event's results page went public; nil
// while it is not.
func (s *Store) ResultsPublishedAt(ctx context.Context, q sqlx.QueryerContext, eventID int64) (*time.Time, error) {
	var t time.Time
	err := sqlx.GetContext(ctx, q, &t, `SELECT published_at FROM event_results WHERE event_id = $1`, eventID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("results published", err)
	}
	return &t, nil
}

// PublishResults makes the results page public; publishing again keeps the
// first date.
func (s *Store) PublishResults(ctx context.Context, q sqlx.ExecerContext, eventID int64, by *int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO event_results (event_id, published_by) VALUES ($1, $2)
		ON CONFLICT (event_id) DO NOTHING`, eventID, by)
	return wrap("publish results", err)
}

// UnpublishResults takes the results page down.
func (s *Store) UnpublishResults(ctx context.Context, q sqlx.ExecerContext, eventID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM event_results WHERE event_id = $1`, eventID)
	return wrap("unpublish results", err)
}

// PublishedResultEvents lists a project's events whose results are public,
// in programme order.
func (s *Store) PublishedResultEvents(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]Event, error) {
	var es []Event
	err := sqlx.SelectContext(ctx, q, &es, `SELECT `+eventColumns+` FROM events
		WHERE project_id = $1 AND id IN (SELECT event_id FROM event_results) ORDER BY number`, projectID)
	return es, wrap("published result events", err)
}

// EmbedOrigins are the sites (scheme://host[:port]) allowed to frame the
// project's embeddable results.
func (s *Store) EmbedOrigins(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]string, error) {
	var os pq.StringArray
	err := sqlx.GetContext(ctx, q, &os, `SELECT embed_origins FROM projects WHERE id = $1`, projectID)
	return []string(os), wrap("embed origins", err)
}

// SetEmbedOrigins replaces the project's list of framing sites.
func (s *Store) SetEmbedOrigins(ctx context.Context, q sqlx.ExecerContext, projectID int64, origins []string) error {
	if origins == nil {
		origins = []string{} // an empty list, not NULL
	}
	res, err := q.ExecContext(ctx, `UPDATE projects SET embed_origins = $2, updated_at = now() WHERE id = $1`,
		projectID, pq.Array(origins))
	if err != nil {
		return wrap("set embed origins", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

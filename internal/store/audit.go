package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// AuditEntry is one line of the audit log. Details hold ids and counts, never
// personal data.
type AuditEntry struct {
	ID            int64     `db:"id"`
	At            time.Time `db:"at"`
	ActorUserID   *int64    `db:"actor_user_id"`
	ActorDeviceID *int64    `db:"actor_device_id"`
	Actor         string    `db:"actor"`
	Action        string    `db:"action"`
	ObjectType    string    `db:"object_type"`
	ObjectID      string    `db:"object_id"`
	IP            string    `db:"ip"`
	Details       JSON      `db:"details"`
	// ActorName is the user's or device's current name (lists only).
	ActorName string `db:"actor_name"`
}

const insertAudit = `
INSERT INTO audit_log (actor_user_id, actor_device_id, actor, action, object_type, object_id, ip, details)
VALUES (:actor_user_id, :actor_device_id, :actor, :action, :object_type, :object_id, :ip, :details)
RETURNING id`

// InsertAudit appends to the audit log.
func (s *Store) InsertAudit(ctx context.Context, q sqlx.ExtContext, e *AuditEntry) error {
	if len(e.Details) == 0 {
		e.Details = JSON("{}")
	}
	return namedGet(ctx, q, &e.ID, insertAudit, e)
}

// AuditFilter narrows the audit log listing.
type AuditFilter struct {
	Action     string // prefix, e.g. "export."
	ObjectType string
	ObjectID   string
	Actor      string
	Since      *time.Time
	Until      *time.Time
	Limit      int
	BeforeID   int64 // paging: entries older than this id
}

const selectAudit = `
SELECT a.id, a.at, a.actor_user_id, a.actor_device_id, a.actor, a.action, a.object_type, a.object_id, a.ip, a.details,
	coalesce(u.name, d.name, '') AS actor_name
FROM audit_log a
LEFT JOIN users u ON u.id = a.actor_user_id
LEFT JOIN devices d ON d.id = a.actor_device_id
WHERE ($1 = '' OR a.action LIKE $1 || '%')
  AND ($2 = '' OR a.object_type = $2)
  AND ($3 = '' OR a.object_id = $3)
  AND ($4 = '' OR a.actor = $4)
  AND ($5::timestamptz IS NULL OR a.at >= $5)
  AND ($6::timestamptz IS NULL OR a.at < $6)
  AND ($7 = 0 OR a.id < $7)
ORDER BY a.id DESC
LIMIT $8`

// Audit lists audit entries, newest first.
func (s *Store) Audit(ctx context.Context, q sqlx.QueryerContext, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 200
	}
	var es []AuditEntry
	err := sqlx.SelectContext(ctx, q, &es, selectAudit, f.Action, f.ObjectType, f.ObjectID, f.Actor, f.Since, f.Until, f.BeforeID, f.Limit)
	return es, wrap("audit", err)
}

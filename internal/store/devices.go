package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Device is a door phone or scanner paired to one event.
type Device struct {
	ID         int64      `db:"id"`
	EventID    int64      `db:"event_id"`
	Name       string     `db:"name"`
	CreatedBy  *int64     `db:"created_by"`
	CreatedAt  time.Time  `db:"created_at"`
	LastSeenAt *time.Time `db:"last_seen_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
	// Scans is the number of scans the device has sent (lists only).
	Scans int `db:"scans"`
}

const insertDevice = `
INSERT INTO devices (event_id, name, created_by) VALUES (:event_id, :name, :created_by)
RETURNING id`

// CreateDevice stores a device; a name taken within the event gives ErrConflict.
func (s *Store) CreateDevice(ctx context.Context, q sqlx.ExtContext, d *Device) error {
	return namedGet(ctx, q, &d.ID, insertDevice, d)
}

const deviceColumns = `d.id, d.event_id, d.name, d.created_by, d.created_at, d.last_seen_at, d.revoked_at`

const selectDevices = `
SELECT ` + deviceColumns + `, (SELECT count(*) FROM scans s WHERE s.device_id = d.id) AS scans
FROM devices d WHERE d.event_id = $1 ORDER BY d.revoked_at IS NOT NULL, d.name`

// Devices lists an event's devices, live ones first.
func (s *Store) Devices(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]Device, error) {
	var ds []Device
	err := sqlx.SelectContext(ctx, q, &ds, selectDevices, eventID)
	return ds, wrap("devices", err)
}

const selectDevice = `SELECT ` + deviceColumns + `, 0 AS scans FROM devices d WHERE d.id = $1`

// Device finds a device by id.
func (s *Store) Device(ctx context.Context, q sqlx.QueryerContext, id int64) (Device, error) {
	var d Device
	err := sqlx.GetContext(ctx, q, &d, selectDevice, id)
	return d, wrap("device", err)
}

// RevokeDevice revokes a device and all its tokens at once. A device already
// revoked or unknown gives ErrNotFound.
func (s *Store) RevokeDevice(ctx context.Context, q sqlx.ExtContext, id int64) error {
	res, err := q.ExecContext(ctx, `UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return wrap("revoke device", err)
	}
	if err := mustAffect(res, "revoke device"); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL`, id)
	return wrap("revoke device tokens", err)
}

// TouchDevice records that a device was seen (at most once a minute).
func (s *Store) TouchDevice(ctx context.Context, q sqlx.ExecerContext, id int64) error {
	_, err := q.ExecContext(ctx, `UPDATE devices SET last_seen_at = now()
		WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')`, id)
	return wrap("touch device", err)
}

package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// User is a staff account.
type User struct {
	ID           int64      `db:"id"`
	Email        string     `db:"email"`
	Name         string     `db:"name"`
	PasswordHash string     `db:"password_hash"`
	Role         string     `db:"role"`
	ProjectID    *int64     `db:"project_id"`
	PartnerID    *int64     `db:"partner_id"`
	Language     string     `db:"language"`
	TOTPSecret   string     `db:"totp_secret"`
	FailedLogins int        `db:"failed_logins"`
	LockedUntil  *time.Time `db:"locked_until"`
	DisabledAt   *time.Time `db:"disabled_at"`
	CreatedAt    time.Time  `db:"created_at"`
}

const userColumns = `id, email, name, password_hash, role, project_id, partner_id, language, totp_secret,
	failed_logins, locked_until, disabled_at, created_at`

const insertUser = `
INSERT INTO users (email, name, password_hash, role, project_id, partner_id, language)
VALUES (:email, :name, :password_hash, :role, :project_id, :partner_id, :language)
RETURNING id`

// CreateUser inserts a user; a taken e-mail gives ErrConflict.
func (s *Store) CreateUser(ctx context.Context, q sqlx.ExtContext, u *User) error {
	if u.Language == "" {
		u.Language = "en"
	}
	return namedGet(ctx, q, &u.ID, insertUser, u)
}

const selectUser = `SELECT ` + userColumns + ` FROM users WHERE id = $1`

// User finds a user by id.
func (s *Store) User(ctx context.Context, q sqlx.QueryerContext, id int64) (User, error) {
	var u User
	err := sqlx.GetContext(ctx, q, &u, selectUser, id)
	return u, wrap("user", err)
}

const selectUserByEmail = `SELECT ` + userColumns + ` FROM users WHERE lower(email) = lower($1)`

// UserByEmail finds a user by e-mail, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, q sqlx.QueryerContext, email string) (User, error) {
	var u User
	err := sqlx.GetContext(ctx, q, &u, selectUserByEmail, email)
	return u, wrap("user by email", err)
}

const insertUserEvent = `
INSERT INTO user_events (user_id, event_id, valid_from, valid_until) VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id, event_id) DO UPDATE SET valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until`

// GrantEvent gives a user (door staff) access to an event, optionally between times.
func (s *Store) GrantEvent(ctx context.Context, q sqlx.ExecerContext, userID, eventID int64, from, until *time.Time) error {
	_, err := q.ExecContext(ctx, insertUserEvent, userID, eventID, from, until)
	return wrap("grant event", err)
}

// EventGrant is a user's access to one event.
type EventGrant struct {
	EventID    int64      `db:"event_id"`
	ValidFrom  *time.Time `db:"valid_from"`
	ValidUntil *time.Time `db:"valid_until"`
}

const selectUserEvents = `SELECT event_id, valid_from, valid_until FROM user_events WHERE user_id = $1`

// UserEvents lists a user's event grants.
func (s *Store) UserEvents(ctx context.Context, q sqlx.QueryerContext, userID int64) ([]EventGrant, error) {
	var gs []EventGrant
	err := sqlx.SelectContext(ctx, q, &gs, selectUserEvents, userID)
	return gs, wrap("user events", err)
}

// Session is a signed-in browser.
type Session struct {
	IDHash       []byte    `db:"id_hash"`
	UserID       int64     `db:"user_id"`
	CSRFToken    string    `db:"csrf_token"`
	CreatedAt    time.Time `db:"created_at"`
	LastSeenAt   time.Time `db:"last_seen_at"`
	ExpiresAt    time.Time `db:"expires_at"`
	SecondFactor bool      `db:"second_factor"`
}

const insertSession = `
INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, second_factor)
VALUES (:id_hash, :user_id, :csrf_token, :expires_at, :second_factor)`

// CreateSession stores a session (by the hash of its cookie value).
func (s *Store) CreateSession(ctx context.Context, q sqlx.ExtContext, sess Session) error {
	_, err := sqlx.NamedExecContext(ctx, q, insertSession, sess)
	return wrap("create session", err)
}

const touchSession = `
UPDATE sessions SET last_seen_at = now()
WHERE id_hash = $1 AND expires_at > now()
RETURNING id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, second_factor`

// TouchSession finds a live session and marks it seen; expired ones are not found.
func (s *Store) TouchSession(ctx context.Context, q sqlx.QueryerContext, idHash []byte) (Session, error) {
	var sess Session
	err := sqlx.GetContext(ctx, q, &sess, touchSession, idHash)
	return sess, wrap("session", err)
}

// DeleteSession signs one browser out.
func (s *Store) DeleteSession(ctx context.Context, q sqlx.ExecerContext, idHash []byte) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return wrap("delete session", err)
}

// DeleteUserSessions signs a user out everywhere.
func (s *Store) DeleteUserSessions(ctx context.Context, q sqlx.ExecerContext, userID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return wrap("delete user sessions", err)
}

// APIToken is a bearer token of a user or a door device.
type APIToken struct {
	ID         int64          `db:"id"`
	TokenHash  []byte         `db:"token_hash"`
	Prefix     string         `db:"prefix"`
	UserID     *int64         `db:"user_id"`
	DeviceID   *int64         `db:"device_id"`
	Scopes     pq.StringArray `db:"scopes"`
	Label      string         `db:"label"`
	CreatedAt  time.Time      `db:"created_at"`
	LastUsedAt *time.Time     `db:"last_used_at"`
	RevokedAt  *time.Time     `db:"revoked_at"`
}

const insertToken = `
INSERT INTO api_tokens (token_hash, prefix, user_id, device_id, scopes, label)
VALUES (:token_hash, :prefix, :user_id, :device_id, :scopes, :label)
RETURNING id`

// CreateToken stores a token hash and sets its ID.
func (s *Store) CreateToken(ctx context.Context, q sqlx.ExtContext, t *APIToken) error {
	return namedGet(ctx, q, &t.ID, insertToken, t)
}

const revokeToken = `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`

// RevokeToken revokes a token at once.
func (s *Store) RevokeToken(ctx context.Context, q sqlx.ExecerContext, id int64) error {
	res, err := q.ExecContext(ctx, revokeToken, id)
	if err != nil {
		return wrap("revoke token", err)
	}
	return mustAffect(res, "revoke token")
}

// TokenOwner is a live token with what it belongs to, for authentication.
type TokenOwner struct {
	TokenID       int64          `db:"token_id"`
	Scopes        pq.StringArray `db:"scopes"`
	UserID        *int64         `db:"user_id"`
	DeviceID      *int64         `db:"device_id"`
	DeviceEventID *int64         `db:"device_event_id"`
	DeviceName    *string        `db:"device_name"`
}

// A token is live when it is not revoked, its user is not disabled and its device is not revoked.
const selectTokenOwner = `
WITH t AS (
	UPDATE api_tokens SET last_used_at = now()
	WHERE token_hash = $1 AND revoked_at IS NULL
	  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
	RETURNING id
)
SELECT k.id AS token_id, k.scopes, k.user_id, k.device_id, d.event_id AS device_event_id, d.name AS device_name
FROM api_tokens k
LEFT JOIN users u ON u.id = k.user_id
LEFT JOIN devices d ON d.id = k.device_id
WHERE k.token_hash = $1 AND k.revoked_at IS NULL
  AND (k.user_id IS NULL OR u.disabled_at IS NULL)
  AND (k.device_id IS NULL OR d.revoked_at IS NULL)`

// TokenOwner finds the live token with this hash.
func (s *Store) TokenOwner(ctx context.Context, q sqlx.QueryerContext, hash []byte) (TokenOwner, error) {
	var o TokenOwner
	err := sqlx.GetContext(ctx, q, &o, selectTokenOwner, hash)
	return o, wrap("token", err)
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
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
	HasTOTP      bool       `db:"has_totp"` // the secret itself: TOTPSecret
	FailedLogins int        `db:"failed_logins"`
	LockedUntil  *time.Time `db:"locked_until"`
	DisabledAt   *time.Time `db:"disabled_at"`
	CreatedAt    time.Time  `db:"created_at"`
}

const userColumns = `id, email, name, password_hash, role, project_id, partner_id, language,
	(totp_sealed IS NOT NULL OR totp_secret <> '') AS has_totp,
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

// touchSession reads a live session and writes last_seen_at at most once a
// minute: a data-modifying CTE runs whether or not it is read, and when the
// session was seen within the minute it updates no row, so the common
// signed-in request costs one read, not a write.
const touchSession = `
WITH live AS (
	SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, second_factor
	FROM sessions WHERE id_hash = $1 AND expires_at > now()
), touched AS (
	UPDATE sessions s SET last_seen_at = now() FROM live
	WHERE s.id_hash = live.id_hash AND live.last_seen_at < now() - interval '1 minute'
)
SELECT * FROM live`

// TouchSession finds a live session and marks it seen (at most once a
// minute); expired ones are not found.
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
	var h *sqlx.Stmt
	if hs := s.hot(); hs != nil {
		h = hs.tokenOwner
	}
	err := getHot(ctx, q, h, &o, selectTokenOwner, hash)
	return o, wrap("token", err)
}

// UserFilter narrows the user list.
type UserFilter struct {
	Q    string // part of name or e-mail
	Role string
}

const selectUsers = `SELECT ` + userColumns + ` FROM users
WHERE ($1 = '' OR name ILIKE '%' || $1 || '%' OR email ILIKE '%' || $1 || '%')
  AND ($2 = '' OR role = $2)
ORDER BY disabled_at IS NOT NULL, role, lower(name), id
LIMIT 1000`

// Users lists staff accounts, live ones first.
func (s *Store) Users(ctx context.Context, q sqlx.QueryerContext, f UserFilter) ([]User, error) {
	var us []User
	err := sqlx.SelectContext(ctx, q, &us, selectUsers, escapeLike(f.Q), f.Role)
	return us, wrap("users", err)
}

const updateUser = `
UPDATE users SET email = :email, name = :name, role = :role, project_id = :project_id,
	partner_id = :partner_id, language = :language, updated_at = now()
WHERE id = :id`

// UpdateUser saves a user's profile and role; a taken e-mail gives ErrConflict.
func (s *Store) UpdateUser(ctx context.Context, q sqlx.ExtContext, u User) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateUser, u)
	if err != nil {
		return wrap("update user", err)
	}
	return mustAffect(res, "update user")
}

// SetUserPassword replaces a password hash and clears the failure counter.
func (s *Store) SetUserPassword(ctx context.Context, q sqlx.ExecerContext, id int64, hash string) error {
	res, err := q.ExecContext(ctx, `UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL,
		updated_at = now() WHERE id = $1`, id, hash)
	if err != nil {
		return wrap("set password", err)
	}
	return mustAffect(res, "set password")
}

// SetUserLanguage sets the language of a user's screens and e-mails; it
// reports whether the language changed.
func (s *Store) SetUserLanguage(ctx context.Context, q sqlx.ExecerContext, id int64, lang string) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE users SET language = $2, updated_at = now()
		WHERE id = $1 AND language IS DISTINCT FROM $2`, id, lang)
	if err != nil {
		return false, wrap("set language", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SetUserDisabled disables (or re-enables) an account.
func (s *Store) SetUserDisabled(ctx context.Context, q sqlx.ExecerContext, id int64, disabled bool) error {
	res, err := q.ExecContext(ctx, `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END,
		updated_at = now() WHERE id = $1`, id, disabled)
	if err != nil {
		return wrap("set disabled", err)
	}
	return mustAffect(res, "set disabled")
}

const setTOTP = `UPDATE users SET totp_sealed = $2, totp_secret = '', updated_at = now() WHERE id = $1`

// SetTOTPSecret sets (sealed) or, with "", clears a user's second-factor
// secret. Clearing needs no key.
func (s *Store) SetTOTPSecret(ctx context.Context, q sqlx.ExecerContext, id int64, secret string) error {
	var sealed []byte
	if secret != "" {
		if s.Sealer == nil {
			return ErrNoSecretKey
		}
		sealed = s.Sealer.Seal([]byte(secret), totpContext(id))
	}
	res, err := q.ExecContext(ctx, setTOTP, id, sealed)
	if err != nil {
		return wrap("set totp", err)
	}
	return mustAffect(res, "set totp")
}

// TOTPSecret returns a user's second-factor secret, "" when there is none.
func (s *Store) TOTPSecret(ctx context.Context, q sqlx.QueryerContext, id int64) (string, error) {
	var row struct {
		Plain  string `db:"totp_secret"`
		Sealed []byte `db:"totp_sealed"`
	}
	if err := sqlx.GetContext(ctx, q, &row, `SELECT totp_secret, totp_sealed FROM users WHERE id = $1`, id); err != nil {
		return "", wrap("totp secret", err)
	}
	if row.Sealed == nil {
		return row.Plain, nil // written before secrets were sealed, until the next start with a key
	}
	plain, err := s.open(row.Sealed, totpContext(id))
	return string(plain), err
}

// CountSigninFailure adds one to the account's failure counter (shown to
// administrators) or, with reset, clears it.
func (s *Store) CountSigninFailure(ctx context.Context, q sqlx.ExecerContext, id int64, reset bool) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET failed_logins = CASE WHEN $2 THEN 0 ELSE failed_logins + 1 END
		WHERE id = $1`, id, reset)
	return wrap("count signin failure", err)
}

// RevokeEventGrant removes a user's access to an event.
func (s *Store) RevokeEventGrant(ctx context.Context, q sqlx.ExecerContext, userID, eventID int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM user_events WHERE user_id = $1 AND event_id = $2`, userID, eventID)
	if err != nil {
		return wrap("revoke grant", err)
	}
	return mustAffect(res, "revoke grant")
}

// GrantView is an event grant with the event's slug and title, for lists.
type GrantView struct {
	EventGrant
	Slug  string `db:"slug"`
	Title Texts  `db:"title"`
}

const selectGrantViews = `
SELECT g.event_id, g.valid_from, g.valid_until, e.slug, e.title
FROM user_events g JOIN events e ON e.id = g.event_id
WHERE g.user_id = $1 ORDER BY e.first_day, e.id`

// GrantViews lists a user's grants with their events.
func (s *Store) GrantViews(ctx context.Context, q sqlx.QueryerContext, userID int64) ([]GrantView, error) {
	var gs []GrantView
	err := sqlx.SelectContext(ctx, q, &gs, selectGrantViews, userID)
	return gs, wrap("grant views", err)
}

// CountSessions counts a user's live sessions.
func (s *Store) CountSessions(ctx context.Context, q sqlx.QueryerContext, userID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM sessions WHERE user_id = $1 AND expires_at > now()`, userID)
	return n, wrap("count sessions", err)
}

// SessionByHash reads a live session without touching it (the second-factor
// step reads a session that does not authenticate yet).
func (s *Store) SessionByHash(ctx context.Context, q sqlx.QueryerContext, idHash []byte) (Session, error) {
	var sess Session
	err := sqlx.GetContext(ctx, q, &sess, `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at,
		second_factor FROM sessions WHERE id_hash = $1 AND expires_at > now()`, idHash)
	return sess, wrap("session by hash", err)
}

// PruneSessions deletes expired sessions.
func (s *Store) PruneSessions(ctx context.Context, q sqlx.ExecerContext) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < now()`)
	if err != nil {
		return 0, wrap("prune sessions", err)
	}
	return res.RowsAffected()
}

// SigninThrottle is the failure record of one (account, address) pair.
type SigninThrottle struct {
	Failures      int       `db:"failures"`
	LastFailureAt time.Time `db:"last_failure_at"`
}

// SigninPolicy is the throttle rule the store applies: after Free attempts
// the pair waits Base, doubling per further attempt, at most Max.
type SigninPolicy struct {
	Free      int
	Base, Max time.Duration
}

// The attempt is counted before the password is checked, in the statement that
// decides whether it may be checked at all: parallel attempts each see the
// count of the ones before them, so no more than Free checks slip in before
// the wait. A quiet day forgets earlier attempts. No row back: throttled.
const reserveSigninAttempt = `
INSERT INTO signin_throttle AS t (key, failures, last_failure_at) VALUES ($1, 1, $2)
ON CONFLICT (key) DO UPDATE SET
	failures = CASE WHEN t.last_failure_at < $2 - interval '24 hours' THEN 1 ELSE t.failures + 1 END,
	last_failure_at = $2
WHERE t.failures < $3::int
   OR t.last_failure_at < $2 - interval '24 hours'
   OR t.last_failure_at + make_interval(secs => least($4::float8 * power(2::float8, least(t.failures - $3, 30)), $5::float8)) <= $2
RETURNING failures, last_failure_at`

// ReserveSigninAttempt counts one attempt of a pair and returns the record, or
// ErrNotFound when the pair must wait (read SigninThrottleFor for how long).
// Run it outside a transaction so parallel attempts see it at once.
func (s *Store) ReserveSigninAttempt(ctx context.Context, q sqlx.QueryerContext, key []byte, at time.Time, p SigninPolicy) (SigninThrottle, error) {
	var t SigninThrottle
	err := sqlx.GetContext(ctx, q, &t, reserveSigninAttempt, key, at, p.Free, p.Base.Seconds(), p.Max.Seconds())
	return t, wrap("reserve signin attempt", err)
}

// SigninThrottleFor reads the failure record of a pair (ErrNotFound when clean).
func (s *Store) SigninThrottleFor(ctx context.Context, q sqlx.QueryerContext, key []byte) (SigninThrottle, error) {
	var t SigninThrottle
	err := sqlx.GetContext(ctx, q, &t, `SELECT failures, last_failure_at FROM signin_throttle WHERE key = $1`, key)
	return t, wrap("signin throttle", err)
}

// ClearSigninFailures forgets a pair's attempts after a successful sign-in.
func (s *Store) ClearSigninFailures(ctx context.Context, q sqlx.ExecerContext, key []byte) error {
	_, err := q.ExecContext(ctx, `DELETE FROM signin_throttle WHERE key = $1`, key)
	return wrap("clear signin failures", err)
}

// PruneSigninThrottle forgets records quiet since cutoff.
func (s *Store) PruneSigninThrottle(ctx context.Context, q sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM signin_throttle WHERE last_failure_at < $1`, cutoff)
	if err != nil {
		return 0, wrap("prune signin throttle", err)
	}
	return res.RowsAffected()
}

// CreatePasswordReset stores the hash of a reset token.
func (s *Store) CreatePasswordReset(ctx context.Context, q sqlx.ExecerContext, hash []byte, userID int64, expires time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
		hash, userID, expires)
	return wrap("create password reset", err)
}

const usePasswordReset = `
UPDATE password_resets SET used_at = now()
WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
RETURNING user_id`

// UsePasswordReset spends a live reset token in one statement (a token works
// once) and returns its user; unknown, used or expired tokens give ErrNotFound.
func (s *Store) UsePasswordReset(ctx context.Context, q sqlx.QueryerContext, hash []byte) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, usePasswordReset, hash)
	return id, wrap("use password reset", err)
}

// PasswordResetUser returns the user of a live reset token without spending it.
func (s *Store) PasswordResetUser(ctx context.Context, q sqlx.QueryerContext, hash []byte) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, `SELECT user_id FROM password_resets
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, hash)
	return id, wrap("password reset", err)
}

// ExpirePasswordResets spends every open reset token of a user.
func (s *Store) ExpirePasswordResets(ctx context.Context, q sqlx.ExecerContext, userID int64) error {
	_, err := q.ExecContext(ctx, `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID)
	return wrap("expire password resets", err)
}

// TokenView is a token with its owner, for lists (never the hash).
type TokenView struct {
	ID         int64          `db:"id"`
	Prefix     string         `db:"prefix"`
	UserID     *int64         `db:"user_id"`
	DeviceID   *int64         `db:"device_id"`
	Scopes     pq.StringArray `db:"scopes"`
	Label      string         `db:"label"`
	CreatedAt  time.Time      `db:"created_at"`
	LastUsedAt *time.Time     `db:"last_used_at"`
	RevokedAt  *time.Time     `db:"revoked_at"`
	OwnerName  string         `db:"owner_name"`
	OwnerEmail string         `db:"owner_email"`
}

const selectTokenViews = `
SELECT k.id, k.prefix, k.user_id, k.device_id, k.scopes, k.label, k.created_at, k.last_used_at, k.revoked_at,
	coalesce(u.name, d.name, '') AS owner_name, coalesce(u.email, '') AS owner_email
FROM api_tokens k
LEFT JOIN users u ON u.id = k.user_id
LEFT JOIN devices d ON d.id = k.device_id
WHERE ($1 = 0 OR k.user_id = $1)
ORDER BY k.revoked_at IS NOT NULL, k.id DESC
LIMIT 1000`

// TokenViews lists tokens, live first; userID 0 lists every token.
func (s *Store) TokenViews(ctx context.Context, q sqlx.QueryerContext, userID int64) ([]TokenView, error) {
	var ts []TokenView
	err := sqlx.SelectContext(ctx, q, &ts, selectTokenViews, userID)
	return ts, wrap("tokens", err)
}

// Token finds a token by id.
func (s *Store) Token(ctx context.Context, q sqlx.QueryerContext, id int64) (APIToken, error) {
	var t APIToken
	err := sqlx.GetContext(ctx, q, &t, `SELECT id, token_hash, prefix, user_id, device_id, scopes, label, created_at,
		last_used_at, revoked_at FROM api_tokens WHERE id = $1`, id)
	return t, wrap("token", err)
}

// RevokeUserTokens revokes every live token of a user.
func (s *Store) RevokeUserTokens(ctx context.Context, q sqlx.ExecerContext, userID int64) error {
	_, err := q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, userID)
	return wrap("revoke user tokens", err)
}

// escapeLike makes user text literal inside a LIKE pattern.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// DeleteOtherSessions signs a user out everywhere but the session keep.
func (s *Store) DeleteOtherSessions(ctx context.Context, q sqlx.ExecerContext, userID int64, keep []byte) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, userID, keep)
	return wrap("delete other sessions", err)
}

// DeleteExpiredSessions removes a user's expired sessions.
func (s *Store) DeleteExpiredSessions(ctx context.Context, q sqlx.ExecerContext, userID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()`, userID)
	return wrap("delete expired sessions", err)
}

const useTOTPStep = `
UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2 RETURNING id`

// UseTOTPStep records an accepted authenticator time step in one statement;
// false means this or a later step was already used (a replayed code).
func (s *Store) UseTOTPStep(ctx context.Context, q sqlx.QueryerContext, userID, step int64) (bool, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, useTOTPStep, userID, step)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("use totp step", err)
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// ErrNoSecretKey: a secret must be sealed or opened but no master key is loaded.
var ErrNoSecretKey = errors.New("no secret key: set ATTEND_SECRET_KEY_FILE (see docs/security.md)")

// Contexts bind a sealed value to its row: copied to another row it does not open.
func eventKeyContext(eventID int64, kid string) string {
	return "event_keys.private_key:" + strconv.FormatInt(eventID, 10) + ":" + kid
}

func totpContext(userID int64) string { return "users.totp:" + strconv.FormatInt(userID, 10) }

func (s *Store) open(sealed []byte, context string) ([]byte, error) {
	if s.Sealer == nil {
		return nil, ErrNoSecretKey
	}
	plain, err := s.Sealer.Open(sealed, context)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", strings.SplitN(context, ":", 2)[0], err)
	}
	return plain, nil
}

// SecretsStatus is what the database holds of secrets, without opening any.
type SecretsStatus struct {
	Plain  int            // rows still in clear (written before sealing existed)
	Sealed map[string]int // sealed rows by the id of the master key that sealed them
}

const selectPlainSecrets = `
SELECT (SELECT count(*) FROM event_keys WHERE private_key IS NOT NULL)
     + (SELECT count(*) FROM users WHERE totp_secret <> '')`

const selectSealedSecrets = `
SELECT encode(substring(v FROM 2 FOR 4), 'hex') AS key_id, count(*) AS n FROM (
    SELECT private_key_sealed AS v FROM event_keys WHERE private_key_sealed IS NOT NULL
    UNION ALL SELECT totp_sealed FROM users WHERE totp_sealed IS NOT NULL) s
GROUP BY 1 ORDER BY 1`

// Secrets reports how many secrets are in clear and under which master keys
// the others are sealed.
func (s *Store) Secrets(ctx context.Context, q sqlx.QueryerContext) (SecretsStatus, error) {
	st := SecretsStatus{Sealed: map[string]int{}}
	if err := sqlx.GetContext(ctx, q, &st.Plain, selectPlainSecrets); err != nil {
		return st, wrap("secrets", err)
	}
	var rows []struct {
		KeyID string `db:"key_id"`
		N     int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, selectSealedSecrets); err != nil {
		return st, wrap("secrets", err)
	}
	for _, r := range rows {
		st.Sealed[r.KeyID] = r.N
	}
	return st, nil
}

type secretRow struct {
	ID      int64  `db:"id"`
	EventID int64  `db:"event_id"`
	KID     string `db:"kid"`
	Value   []byte `db:"v"`
}

const (
	lockPlainEventKeys  = `SELECT id, event_id, kid, private_key AS v FROM event_keys WHERE private_key IS NOT NULL ORDER BY id FOR UPDATE`
	lockPlainTOTP       = `SELECT id, convert_to(totp_secret, 'UTF8') AS v FROM users WHERE totp_secret <> '' ORDER BY id FOR UPDATE`
	lockSealedEventKeys = `SELECT id, event_id, kid, private_key_sealed AS v FROM event_keys WHERE private_key_sealed IS NOT NULL ORDER BY id FOR UPDATE`
	lockSealedTOTP      = `SELECT id, totp_sealed AS v FROM users WHERE totp_sealed IS NOT NULL ORDER BY id FOR UPDATE`
	updateEventKey      = `UPDATE event_keys SET private_key_sealed = $2, private_key = NULL WHERE id = $1`
	updateTOTP          = `UPDATE users SET totp_sealed = $2, totp_secret = '' WHERE id = $1`
)

// SealPlaintext seals the secrets still in clear with the primary key and
// returns how many it sealed. Run it in one transaction; rows are locked, so
// instances starting together seal each row once.
func (s *Store) SealPlaintext(ctx context.Context, q sqlx.ExtContext) (int, error) {
	if s.Sealer == nil {
		return 0, ErrNoSecretKey
	}
	return s.reseal(ctx, q, lockPlainEventKeys, lockPlainTOTP, func(v []byte, _ string) ([]byte, error) { return v, nil })
}

// Rewrap re-seals with the primary key every secret sealed with another key
// of the keyring (master key rotation) and returns how many it re-sealed.
// Run it in one transaction: a secret it cannot open fails the whole.
func (s *Store) Rewrap(ctx context.Context, q sqlx.ExtContext) (int, error) {
	if s.Sealer == nil {
		return 0, ErrNoSecretKey
	}
	return s.reseal(ctx, q, lockSealedEventKeys, lockSealedTOTP, func(v []byte, context string) ([]byte, error) {
		if s.Sealer.Primary(v) {
			return nil, nil
		}
		return s.open(v, context)
	})
}

// reseal seals, with the primary key, what plain returns for each row the two
// queries lock; a nil result leaves the row as it is.
func (s *Store) reseal(ctx context.Context, q sqlx.ExtContext, keysQuery, totpQuery string, plain func(v []byte, context string) ([]byte, error)) (int, error) {
	n := 0
	for _, t := range []struct {
		query, update string
		context       func(r secretRow) string
	}{
		{keysQuery, updateEventKey, func(r secretRow) string { return eventKeyContext(r.EventID, r.KID) }},
		{totpQuery, updateTOTP, func(r secretRow) string { return totpContext(r.ID) }},
	} {
		var rows []secretRow
		if err := sqlx.SelectContext(ctx, q, &rows, t.query); err != nil {
			return n, wrap("seal secrets", err)
		}
		for _, r := range rows {
			c := t.context(r)
			v, err := plain(r.Value, c)
			if err != nil {
				return n, err
			}
			if v == nil {
				continue
			}
			if _, err := q.ExecContext(ctx, t.update, r.ID, s.Sealer.Seal(v, c)); err != nil {
				return n, wrap("seal secrets", err)
			}
			n++
		}
	}
	return n, nil
}

package store

import (
	"context"
	"crypto/rand"

	"github.com/jmoiron/sqlx"
)

const upsertSecret = `
INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`

// Secret returns the named random secret, creating it once. Every instance on
// the database reads the same value (CSRF keys, link signing).
func (s *Store) Secret(ctx context.Context, q sqlx.ExtContext, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := q.ExecContext(ctx, upsertSecret, name, fresh); err != nil {
		return nil, wrap("secret", err)
	}
	var v []byte
	err := sqlx.GetContext(ctx, q, &v, `SELECT value FROM app_secrets WHERE name = $1`, name)
	return v, wrap("secret", err)
}

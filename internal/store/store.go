// Package store holds all SQL of the application. Each file covers a group of
// tables; every query is a constant next to the method that binds it. Methods
// take an sqlx.ExtContext so that they run inside or outside a transaction.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/secretbox"
)

// Typed errors that use cases map to HTTP answers in one place.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Store wraps the connection pool.
type Store struct {
	DB *sqlx.DB
	// Sealer seals and opens the secrets kept in the database (event private
	// keys, second-factor secrets); nil until the master key is loaded, and
	// then writing such a secret fails with ErrNoSecretKey.
	Sealer *secretbox.Keyring

	prep  preparer
	doors doorBatcher
}

// Open connects to PostgreSQL and checks the connection.
func Open(ctx context.Context, url string, maxConns int) (*Store, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if maxConns <= 0 {
		maxConns = 20
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &Store{DB: db}, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.stopDoors()
	return s.DB.Close()
}

// InTx runs fn in one transaction, committing when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", mapErr(err))
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapErr(err))
	}
	return nil
}

// Attempt runs fn in tx after a savepoint and undoes what fn did when it
// reports false; the transaction goes on either way. (An error from fn is
// returned as it is: the caller's transaction is then rolled back whole.)
func (s *Store) Attempt(ctx context.Context, tx *sqlx.Tx, fn func() (bool, error)) (bool, error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT attempt`); err != nil {
		return false, wrap("savepoint", err)
	}
	ok, err := fn()
	if err != nil || ok {
		return ok, err
	}
	_, err = tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT attempt`)
	return false, wrap("rollback to savepoint", err)
}

// mapErr turns driver errors into the store's typed errors, keeping the cause.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", ErrConflict, pqErr)
		case "23514": // check_violation (capacity counters, ranges)
			return fmt.Errorf("%w: %w", ErrConflict, pqErr)
		}
	}
	return err
}

// IsConstraint reports whether err is a violation of the named constraint or index.
func IsConstraint(err error, name string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Constraint == name
}

// Cancelled reports whether err is a statement or wait cut short by its
// context being cancelled: context.Canceled, or PostgreSQL's "canceling
// statement" (SQLSTATE 57014) that lib/pq's cancel request produces.
func Cancelled(err error) bool {
	var pqErr *pq.Error
	return errors.Is(err, context.Canceled) || (errors.As(err, &pqErr) && pqErr.Code == "57014")
}

// Unavailable reports whether err means the database cannot be reached right now
// (connection refused, server shutting down), as opposed to a query error.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		// connection exception, operator intervention (shutdown, restart,
		// cancelled by our deadline), insufficient resources (too many connections)
		case "08", "57", "53":
			return true
		}
		return false
	}
	var netErr interface{ Timeout() bool }
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, pq.ErrSSLNotSupported) ||
		errors.As(err, &netErr) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || isConnRefused(err)
}

package store

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// migrationLock is the advisory lock key that serialises migrations across
// instances starting at the same time ("attend" in ASCII).
const migrationLock = 0x617474656e64

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LoadMigrations reads NNNN_name.sql files from fsys, sorted by number.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue // the package's Go file
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			// A misnamed file would silently never run: refuse it.
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql (four digits, lower-case letters, digits and _)", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share number %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// ErrSchemaNewer means the database has migrations this binary does not know:
// an older binary must not run against a newer schema.
type ErrSchemaNewer struct{ Versions []int }

func (e ErrSchemaNewer) Error() string {
	return fmt.Sprintf("database schema is newer than this binary (unknown migrations %v): upgrade attend", e.Versions)
}

// Migrate applies the pending migrations, each in its own transaction, while
// holding a session advisory lock so that concurrent starts apply each once.
func (s *Store) Migrate(ctx context.Context, ms []Migration, log *slog.Logger) (applied int, err error) {
	conn, err := s.DB.Connx(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return 0, fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return 0, err
	}
	if unknown := unknownVersions(done, ms); len(unknown) > 0 {
		return 0, ErrSchemaNewer{Versions: unknown}
	}
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		tx, err := conn.BeginTxx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		applied++
		if log != nil {
			log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
	}
	return applied, nil
}

// SchemaStatus tells whether the database has every known migration and none unknown.
func (s *Store) SchemaStatus(ctx context.Context, ms []Migration) (pending int, err error) {
	done, err := appliedVersions(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	if unknown := unknownVersions(done, ms); len(unknown) > 0 {
		return 0, ErrSchemaNewer{Versions: unknown}
	}
	for _, m := range ms {
		if !done[m.Version] {
			pending++
		}
	}
	return pending, nil
}

func appliedVersions(ctx context.Context, q sqlx.QueryerContext) (map[int]bool, error) {
	var exists bool
	if err := sqlx.GetContext(ctx, q, &exists, `SELECT to_regclass('schema_migrations') IS NOT NULL`); err != nil {
		return nil, fmt.Errorf("schema status: %w", err)
	}
	done := map[int]bool{}
	if !exists {
		return done, nil
	}
	var vs []int
	if err := sqlx.SelectContext(ctx, q, &vs, `SELECT version FROM schema_migrations`); err != nil {
		return nil, fmt.Errorf("schema status: %w", err)
	}
	for _, v := range vs {
		done[v] = true
	}
	return done, nil
}

func unknownVersions(done map[int]bool, ms []Migration) []int {
	known := map[int]bool{}
	for _, m := range ms {
		known[m.Version] = true
	}
	var unknown []int
	for v := range done {
		if !known[v] {
			unknown = append(unknown, v)
		}
	}
	sort.Ints(unknown)
	return unknown
}

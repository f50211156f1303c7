// Package dbtest gives tests a real, throwaway PostgreSQL database.
//
// The server is, in order: ATTEND_TEST_DATABASE_URL, DATABASE_URL, a server on
// 127.0.0.1:5432, or a private cluster started from the installed server
// binaries. Each call creates a fresh database cloned from a migrated template,
// dropped when the test ends.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"github.com/decode-attend/attend/internal/pgembed"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

var (
	adminOnce sync.Once
	adminURL  string
	adminErr  error
)

// AdminURL returns a URL to a maintenance database on the test server.
func AdminURL(t testing.TB) string {
	t.Helper()
	adminOnce.Do(func() { adminURL, adminErr = findServer() })
	if adminErr != nil {
		t.Fatalf("dbtest: no PostgreSQL for tests: %v", adminErr)
	}
	return adminURL
}

func findServer() (string, error) {
	for _, env := range []string{"ATTEND_TEST_DATABASE_URL", "DATABASE_URL"} {
		if u := os.Getenv(env); u != "" {
			return u, nil
		}
	}
	local := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=3"
	if db, err := sqlx.Open("postgres", local); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		err = db.PingContext(ctx)
		db.Close()
		if err == nil {
			return local, nil
		}
	}
	url, _, err := pgembed.TestServer(context.Background())
	return url, err
}

// withDB returns url with its database name replaced.
func withDB(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

var (
	tplOnce sync.Once
	tplName string
	tplErr  error
)

// template creates (once per process, shared across processes by name) a
// migrated database to clone from.
func template(t testing.TB) string {
	admin := AdminURL(t)
	tplOnce.Do(func() {
		ms, err := store.LoadMigrations(migrations.FS)
		if err != nil {
			tplErr = err
			return
		}
		h := sha256.New()
		for _, m := range ms {
			fmt.Fprintf(h, "%d\x00%s\x00", m.Version, m.SQL)
		}
		tplName = "attend_tpl_" + hex.EncodeToString(h.Sum(nil))[:16]
		tplErr = ensureTemplate(admin, tplName, ms)
	})
	if tplErr != nil {
		t.Fatalf("dbtest: template: %v", tplErr)
	}
	return tplName
}

func ensureTemplate(admin, name string, ms []store.Migration) error {
	ctx := context.Background()
	db, err := sqlx.Open("postgres", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Test binaries of several packages run in parallel: one builds the template.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(4242)`)
	var n int
	if err := conn.GetContext(ctx, &n, `SELECT count(*) FROM pg_database WHERE datname = $1`, name); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	building := name + "_build"
	conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		return err
	}
	st, err := store.Open(ctx, withDB(admin, building), 2)
	if err != nil {
		return err
	}
	_, err = st.Migrate(ctx, ms, nil)
	st.Close()
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name)
	return err
}

// URL creates a fresh migrated database for the test and returns its URL.
func URL(t testing.TB) string {
	t.Helper()
	return create(t, template(t))
}

// EmptyURL creates a fresh database with no schema and returns its URL.
func EmptyURL(t testing.TB) string {
	t.Helper()
	AdminURL(t)
	return create(t, "template0")
}

func create(t testing.TB, from string) string {
	admin := AdminURL(t)
	var b [6]byte
	rand.Read(b[:])
	name := "attend_test_" + strings.ToLower(hex.EncodeToString(b[:]))
	db, err := sqlx.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name + ` ENCODING 'UTF8' TEMPLATE ` + from); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sqlx.Open("postgres", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	return withDB(admin, name)
}

// Open returns a store on a fresh migrated database, closed when the test
// ends, sealing secrets with Keyring.
func Open(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), URL(t), 10)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	st.Sealer = Keyring(t)
	t.Cleanup(func() { st.Close() })
	return st
}

var testKey = sync.OnceValue(func() []byte {
	b := make([]byte, secretbox.KeySize)
	rand.Read(b)
	return b
})

// Keyring is the master key of this test process: generated, like the one an
// operator provides, so that tests run with sealed secrets as production does.
func Keyring(t testing.TB) *secretbox.Keyring {
	k, err := secretbox.NewKey(testKey())
	if err != nil {
		t.Fatal(err)
	}
	return secretbox.NewKeyring(k)
}

// KeyFile writes Keyring's key to a file (mode 0600) for ATTEND_SECRET_KEY_FILE.
func KeyFile(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret.key")
	if err := os.WriteFile(p, []byte(hex.EncodeToString(testKey())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

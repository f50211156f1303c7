package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

func TestMigrateConcurrently(t *testing.T) {
	url := dbtest.EmptyURL(t)
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const n = 4
	applied := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, err := store.Open(ctx, url, 2)
			if err != nil {
				errs[i] = err
				return
			}
			defer st.Close()
			applied[i], errs[i] = st.Migrate(ctx, ms, nil)
		}(i)
	}
	wg.Wait()
	total := 0
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	if total != len(ms) {
		t.Fatalf("migrations applied %d times in all, want %d (each once)", total, len(ms))
	}
	st, err := store.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if pending, err := st.SchemaStatus(ctx, ms); err != nil || pending != 0 {
		t.Fatalf("SchemaStatus: %d %v", pending, err)
	}
	var rows int
	st.DB.Get(&rows, `SELECT count(*) FROM schema_migrations`)
	if rows != len(ms) {
		t.Fatalf("schema_migrations has %d rows", rows)
	}
}

func TestSchemaNewerIsRefused(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	ms, _ := store.LoadMigrations(migrations.FS)
	if _, err := st.DB.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')`); err != nil {
		t.Fatal(err)
	}
	_, err := st.Migrate(ctx, ms, nil)
	var newer store.ErrSchemaNewer
	if !errors.As(err, &newer) || len(newer.Versions) != 1 || newer.Versions[0] != 9999 {
		t.Fatalf("Migrate on a newer schema: %v", err)
	}
	if _, err := st.SchemaStatus(ctx, ms); !errors.As(err, &newer) {
		t.Fatalf("SchemaStatus on a newer schema: %v", err)
	}
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	url := dbtest.EmptyURL(t)
	ctx := context.Background()
	st, err := store.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fsys := fstest.MapFS{
		"0001_ok.sql":     {Data: []byte(`CREATE TABLE a (id int);`)},
		"0002_broken.sql": {Data: []byte(`CREATE TABLE b (id int); SELECT no_such_function();`)},
	}
	ms, err := store.LoadMigrations(fsys)
	if err != nil || len(ms) != 2 {
		t.Fatalf("LoadMigrations: %v %v", ms, err)
	}
	if _, err := st.Migrate(ctx, ms, nil); err == nil {
		t.Fatal("a broken migration succeeded")
	}
	var b, a bool
	st.DB.Get(&b, `SELECT to_regclass('b') IS NOT NULL`)
	st.DB.Get(&a, `SELECT to_regclass('a') IS NOT NULL`)
	if b || !a {
		t.Fatalf("after a failed step: table a=%v (want true), b=%v (want false)", a, b)
	}
	dup := fstest.MapFS{"0001_x.sql": {Data: []byte("")}, "0001_y.sql": {Data: []byte("")}}
	if _, err := store.LoadMigrations(dup); err == nil {
		t.Fatal("two migrations with one number were accepted")
	}
	// A file that looks meant to be a migration but is misnamed would never
	// run: it is refused, not skipped. The package's Go file is no migration.
	for _, bad := range []string{"001_short.sql", "0005-dash.sql", "0005_Upper.sql", "0005_x.SQL.sql", "readme.sql"} {
		fsys := fstest.MapFS{"0001_ok.sql": {Data: []byte("")}, bad: {Data: []byte("")}, "migrations.go": {Data: []byte("package migrations")}}
		if _, err := store.LoadMigrations(fsys); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: %v, want it refused by name", bad, err)
		}
	}
	if ms, err := store.LoadMigrations(fstest.MapFS{"0001_ok.sql": {Data: []byte("")}, "migrations.go": {Data: []byte("")}}); err != nil || len(ms) != 1 {
		t.Errorf("a Go file beside the migrations: %v %v", ms, err)
	}
}

func TestSecretIsSharedAndStable(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	a, err := st.Secret(ctx, st.DB, "csrf")
	if err != nil || len(a) != 32 {
		t.Fatalf("Secret: %x %v", a, err)
	}
	b, _ := st.Secret(ctx, st.DB, "csrf")
	c, _ := st.Secret(ctx, st.DB, "links")
	if string(a) != string(b) || string(a) == string(c) {
		t.Fatal("secrets must be stable per name and differ between names")
	}
}

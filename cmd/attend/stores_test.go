package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
)

// testStore opens a store on a fresh migrated database, sealing with the
// test process's key (the one baseEnv hands to every run); it is closed
// with the test.
func testStore(t *testing.T) (string, *store.Store) {
	t.Helper()
	url := dbtest.URL(t)
	st, err := store.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Sealer = dbtest.Keyring(t)
	return url, st
}

// demoStore is testStore with the demo programme seeded.
func demoStore(t *testing.T) (string, *store.Store) {
	t.Helper()
	url, st := testStore(t)
	if _, err := programme.EnsureSeeded(context.Background(), st, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	return url, st
}

// inProcess runs the command line in this process, with vars as its whole
// environment, and returns what it printed and its exit code.
func inProcess(vars map[string]string) func(args ...string) (string, string, int) {
	return func(args ...string) (string, string, int) {
		var o, e bytes.Buffer
		code := run(context.Background(), &cliEnv{stdout: &o, stderr: &e, getenv: func(k string) string { return vars[k] }}, args)
		return o.String(), e.String(), code
	}
}

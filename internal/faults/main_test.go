// Package faults holds the fault tests: real attend processes killed with
// SIGKILL under door load, PostgreSQL restarted under load, and three
// instances on one database. Each test prints one summary line of what it
// counted (acknowledged against found), also on success.
package faults

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// bin is the attend binary built once for every test here, benchBin the load tool.
var bin, benchBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "attend-faults-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin, benchBin = filepath.Join(dir, "attend"), filepath.Join(dir, "attend-bench")
	for out, pkg := range map[string]string{bin: "./cmd/attend", benchBin: "./cmd/attend-bench"} {
		build := exec.Command("go", "build", "-o", out, "github.com/decode-attend/attend/"+strings.TrimPrefix(pkg, "./"))
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "faults: building", pkg+":", err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// summary prints the line a fault test reports, visible without -v.
func summary(t *testing.T, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf("%s: "+format, append([]any{t.Name()}, args...)...)
	fmt.Fprintln(os.Stderr, line)
}

// workDir is a temporary directory the private cluster's account can pass
// through, removed when the test ends.
func workDir(t *testing.T) string {
	t.Helper()
	dir, err := bench.WorkDir("attend-faults-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// startServer runs one attend process on dbURL, stopped when the test ends.
func startServer(t *testing.T, dbURL, dir, name string, extra ...string) *bench.Proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// The test's master key, so that openStore reads what the server sealed.
	extra = append([]string{"ATTEND_SECRET_KEY_FILE=" + dbtest.KeyFile(t)}, extra...)
	p, err := bench.StartServer(ctx, bin, dbURL, filepath.Join(dir, name+".log"), extra...)
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(p.Stop)
	return p
}

// openStore opens the test's database for seeding and checking.
func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url, 8)
	if err != nil {
		t.Fatal(err)
	}
	st.Sealer = dbtest.Keyring(t)
	t.Cleanup(func() { st.Close() })
	return st
}

// freshDB is an empty database (the servers migrate it) on the test server.
func freshDB(t *testing.T) string {
	t.Helper()
	return dbtest.EmptyURL(t)
}

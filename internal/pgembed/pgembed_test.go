package pgembed

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// clusterDir returns a fresh path for a cluster. As root the server runs as an
// unprivileged user, which must be able to pass through t.TempDir's parents:
// the testing package makes them 0700, and Start rightly refuses to loosen
// directories it did not create.
func clusterDir(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{tmp, filepath.Dir(tmp)} {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(tmp, "pg")
}

func skipWithoutServer(t *testing.T) {
	t.Helper()
	if _, err := FindBinaries(); errors.Is(err, ErrNoServer) {
		t.Skip(err)
	}
}

func TestFindBinaries(t *testing.T) {
	skipWithoutServer(t)
	dir, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range serverBinaries {
		if !isExecutable(filepath.Join(dir, p)) {
			t.Errorf("%s has no %s", dir, p)
		}
	}
}

func TestFindBinariesSkipsIncompleteDirs(t *testing.T) {
	// A lone initdb wrapper (as Debian may put in /usr/local/bin) must not win.
	wrapper := t.TempDir()
	if err := os.WriteFile(filepath.Join(wrapper, "initdb"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := findBinaries([]string{wrapper, "", "/nonexistent"}); !errors.Is(err, ErrNoServer) {
		t.Fatalf("err = %v, want ErrNoServer", err)
	}
}

func TestDebianDirsNewestFirst(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "16", "10"} {
		if err := os.MkdirAll(filepath.Join(root, v, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, d := range debianDirs(filepath.Join(root, "*", "bin")) {
		got = append(got, filepath.Base(filepath.Dir(d)))
	}
	if want := []string{"16", "15", "10", "9.6"}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
}

func TestSocketDirFallsBackForLongPaths(t *testing.T) {
	if got := socketDir("/var/lib/attend/pg"); got != "/var/lib/attend/pg/run" {
		t.Errorf("short path: socket dir %s", got)
	}
	long := "/" + strings.Repeat("x", 100) + "/pg"
	got := socketDir(long)
	if !strings.HasPrefix(got, "/tmp/attend-pg-") || got != socketDir(long) || got == socketDir(long+"2") {
		t.Errorf("long path: socket dir %s", got)
	}
	if n := len(got + "/.s.PGSQL.5432"); n > maxSocketPath {
		t.Errorf("fallback socket path has %d bytes", n)
	}
}

func TestURL(t *testing.T) {
	c := &Cluster{sockDir: "/data/my pg/run"}
	u, err := url.Parse(c.URL("app"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.User.Username() != "attend" || u.Path != "/app" || q.Get("host") != "/data/my pg/run" ||
		q.Get("port") != "5432" || q.Get("sslmode") != "disable" {
		t.Errorf("URL = %s", c.URL("app"))
	}
}

func connect(t *testing.T, c *Cluster, db string) *sqlx.DB {
	t.Helper()
	x, err := sqlx.Connect("postgres", c.URL(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestStartCreateStopRestart(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	dir := clusterDir(t)
	log := testLogger(t)

	c, err := Start(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if err := c.CreateDatabase(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateDatabase(ctx, "app"); err != nil {
		t.Fatalf("second CreateDatabase: %v", err)
	}
	db := connect(t, c, "app")
	if _, err := db.ExecContext(ctx, `CREATE TABLE kept (id int PRIMARY KEY, name text); INSERT INTO kept VALUES (1, 'ā')`); err != nil {
		t.Fatal(err)
	}
	var settings struct {
		Listen string `db:"listen"`
		Fsync  string `db:"fsync"`
		Enc    string `db:"enc"`
	}
	if err := db.GetContext(ctx, &settings, `SELECT current_setting('listen_addresses') AS listen,
		current_setting('fsync') AS fsync, current_setting('server_encoding') AS enc`); err != nil {
		t.Fatal(err)
	}
	if settings.Listen != "" || settings.Fsync != "on" || settings.Enc != "UTF8" {
		t.Errorf("settings = %+v", settings)
	}
	db.Close()
	if fi, err := os.Stat(c.LogFile()); err != nil || fi.Size() == 0 {
		t.Errorf("server log %s: %v", c.LogFile(), err)
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := c.ping(ctx, time.Second); err == nil {
		t.Fatal("server still answers after Stop")
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}

	c2, err := Start(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c2.Stop() })
	var name string
	if err := connect(t, c2, "app").GetContext(ctx, &name, `SELECT name FROM kept WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if name != "ā" {
		t.Errorf("name = %q", name)
	}
	if err := c2.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestSharedAndAbandoned covers a second process using a running server (each
// Start stands for a process: flock locks belong to the open file, not the
// process), a process that died without Stop, and a stale postmaster.pid.
func TestSharedAndAbandoned(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	dir := clusterDir(t)
	log := testLogger(t)

	// Two starts at once on a fresh directory: one runs initdb and starts the
	// server, the other waits for it and reuses it.
	type result struct {
		c   *Cluster
		err error
	}
	ch := make(chan result, 2)
	for range 2 {
		go func() {
			c, err := Start(ctx, dir, log)
			ch <- result{c, err}
		}()
	}
	r1, r2 := <-ch, <-ch
	if r1.err != nil || r2.err != nil {
		t.Fatalf("concurrent Start: %v / %v", r1.err, r2.err)
	}
	a, b := r1.c, r2.c
	t.Cleanup(func() { _ = a.Stop(); _ = b.Stop() })
	// a, the starter, leaves first: b still uses the server, so it stays up.
	if err := a.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := b.ping(ctx, time.Second); err != nil {
		t.Fatalf("server stopped under another user: %v", err)
	}
	pidFile, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}

	// b dies without Stop: its lock goes, the server keeps running; the next
	// Start reuses it and, as the last user, stops it.
	b.users.Close()
	b.users = nil
	c, err := Start(ctx, dir, log)
	if err != nil {
		t.Fatalf("Start after abandoned server: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := c.ping(ctx, time.Second); err == nil {
		t.Fatal("last user's Stop left the server running")
	}

	// A postmaster.pid naming a dead process, as a killed server leaves it.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(pidFile), "\n")
	lines[0] = strconv.Itoa(dead.Process.Pid)
	stale := filepath.Join(dir, "data", "postmaster.pid")
	if err := os.WriteFile(stale, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if c.acct != nil {
		if err := os.Chown(stale, int(c.acct.uid), int(c.acct.gid)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Start(ctx, dir, log)
	if err != nil {
		t.Fatalf("Start with stale postmaster.pid: %v", err)
	}
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestTestServer(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	adminURL, stop, err := TestServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	url2, stop2, err := TestServer(ctx)
	if err != nil || url2 != adminURL {
		t.Fatalf("second TestServer: %q, %v", url2, err)
	}
	dir := testServer.c.Dir()
	stop2()
	stop2() // no double release
	db, err := sqlx.Connect("postgres", adminURL)
	if err != nil {
		t.Fatalf("server gone while still referenced: %v", err)
	}
	if _, err := db.ExecContext(ctx, `CREATE DATABASE scratch`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stop()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("test cluster dir %s not removed: %v", dir, err)
	}
}

func TestSweepAbandonedTestCluster(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	dir := clusterDir(t)
	c, err := start(ctx, dir, testLogger(t), options{fast: true})
	if err != nil {
		t.Fatal(err)
	}
	c.users.Close() // the test binary "died"
	c.users = nil
	sweepTestDir(ctx, c.dir, c.bindir, c.acct, testLogger(t))
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("abandoned cluster %s not removed: %v", dir, err)
	}
	if err := c.ping(ctx, time.Second); err == nil {
		t.Error("abandoned server still answers")
	}
}

func TestLongPathSocketInTmp(t *testing.T) {
	skipWithoutServer(t)
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(clusterDir(t), strings.Repeat("d", 80))
	c, err := start(ctx, dir, testLogger(t), options{fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(c.sockDir) })
	defer c.Stop()
	if !strings.HasPrefix(c.sockDir, "/tmp/attend-pg-") {
		t.Errorf("socket dir %s", c.sockDir)
	}
	if err := c.ping(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestRootNeedsTraversableParents(t *testing.T) {
	skipWithoutServer(t)
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	// t.TempDir's parents are 0700 and not ours to loosen.
	_, err := Start(context.Background(), filepath.Join(t.TempDir(), "pg"), testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "chmod o+x") {
		t.Fatalf("err = %v, want advice to chmod o+x", err)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "attend-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "attend")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// attend runs the binary to completion with env and returns its output and exit code.
func attend(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(baseEnv(t), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// baseEnv is what every run gets: its own data directory and the master key
// of the test process (dbtest.KeyFile), which sealed what dbtest stores hold.
// A later "ATTEND_SECRET_KEY_FILE=" in a run's env unsets it.
func baseEnv(t *testing.T) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "ATTEND_DATA_DIR=" + t.TempDir(),
		"ATTEND_SECRET_KEY_FILE=" + dbtest.KeyFile(t)}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestHelpAndVersion(t *testing.T) {
	out, _, code := attend(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range []string{"serve", "migrate", "version"} {
		if !strings.Contains(out, "\n  "+c) {
			t.Errorf("--help lacks %s:\n%s", c, out)
		}
	}
	out, _, code = attend(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "attend ") {
		t.Fatalf("version: %d %q", code, out)
	}
	_, errOut, code := attend(t, nil, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

// A bad configuration gives one clear line and a non-zero exit, never a stack trace.
func TestBadConfigurationIsOneLine(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cases := []struct {
		name string
		env  []string
		want string
	}{
		{"unparsable DATABASE_URL", []string{"DATABASE_URL=postgres://u:hunter2@local host:5432/x"}, "DATABASE_URL"},
		{"taken port", []string{"ATTEND_ADDR=" + taken.Addr().String(), "DATABASE_URL=postgres://x@127.0.0.1:1/x?sslmode=disable"}, "ATTEND_ADDR"},
		{"unreachable database", []string{"ATTEND_ADDR=" + freeAddr(t), "DATABASE_URL=postgres://x@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"}, "DATABASE_URL"},
		{"bad log format", []string{"ATTEND_LOG_FORMAT=xml"}, "ATTEND_LOG_FORMAT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := attend(t, c.env, "serve")
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			last := lines[len(lines)-1]
			if code == 0 || !strings.HasPrefix(last, "attend: ") || !strings.Contains(last, c.want) {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") || strings.Contains(errOut, "hunter2") {
				t.Fatalf("stderr has a stack trace or a password:\n%s", errOut)
			}
		})
	}
}

type server struct {
	cmd    *exec.Cmd
	addr   string
	out    *bytes.Buffer
	exited chan error
}

func startServer(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	s, err := launch(t, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// launch starts a server and waits until it is ready. It never calls
// t.Fatal, so it may run in a goroutine.
func launch(t *testing.T, env []string, args ...string) (*server, error) {
	addr := freeAddr(t)
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(append(baseEnv(t), "ATTEND_ADDR="+addr), env...)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s := &server{cmd: cmd, addr: addr, out: out, exited: exited}
	t.Cleanup(func() { s.cmd.Process.Kill(); <-exited })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return nil, fmt.Errorf("server exited (%v) before it was ready:\n%s", err, out.String())
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("server did not become ready:\n%s", out.String())
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		s.exited <- err
		if err != nil {
			t.Fatalf("server exited with %v:\n%s", err, s.out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not stop on SIGTERM:\n%s", s.out.String())
	}
}

func (s *server) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return string(b)
}

// Two servers started at once against one empty database both come up with
// one schema and one programme.
func TestTwoInstancesOnOneEmptyDatabase(t *testing.T) {
	url := dbtest.EmptyURL(t)
	env := []string{"DATABASE_URL=" + url}
	type started struct {
		s   *server
		err error
	}
	ch := make(chan started, 2)
	for i := 0; i < 2; i++ {
		go func() {
			s, err := launch(t, env, "--demo")
			ch <- started{s, err}
		}()
	}
	r1, r2 := <-ch, <-ch
	if r1.err != nil || r2.err != nil {
		t.Fatalf("an instance failed to start: %v %v", r1.err, r2.err)
	}
	a, b := r1.s, r2.s
	for _, s := range []*server{a, b} {
		if body := s.get(t, "/api/v1/events"); strings.Count(body, `"slug"`) != 5 {
			t.Fatalf("instance lists: %s", body)
		}
	}
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var migrations, projects int
	db.Get(&migrations, `SELECT count(*) FROM schema_migrations`)
	db.Get(&projects, `SELECT count(*) FROM projects`)
	if projects != 1 || migrations == 0 {
		t.Fatalf("%d projects, %d migrations", projects, migrations)
	}
	a.stop(t)
	b.stop(t)
}

// The private database keeps its data across restarts, and SIGTERM stops cleanly.
func TestPrivateDatabaseSurvivesRestart(t *testing.T) {
	dataDir := t.TempDir()
	// As root the private cluster runs as an unprivileged user, who must be
	// able to pass through the test's temporary directories.
	for d := dataDir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o711)
	}
	env := []string{"ATTEND_DATA_DIR=" + dataDir, "DATABASE_URL=", "ATTEND_SECRET_KEY_FILE="}
	s := startServer(t, env, "--demo")
	first := s.get(t, "/api/v1/events")
	s.stop(t)
	// A fresh demo prints a way in once: an administrator and a door pairing link.
	if out := s.out.String(); !strings.Contains(out, "as admin@example.org with password ") || !strings.Contains(out, "/door/pair#att_") ||
		!strings.Contains(out, "kaunas@example.org with password ") {
		t.Fatalf("the demo did not print its way in:\n%s", out)
	}
	// The demo made its master key in the data directory, for it alone.
	keyFile := filepath.Join(dataDir, "secret.key")
	fi, err := os.Stat(keyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the demo's key file: %v %v", fi, err)
	}
	key, _ := os.ReadFile(keyFile)
	s = startServer(t, env, "--demo")
	second := s.get(t, "/api/v1/events")
	s.stop(t)
	if strings.Contains(s.out.String(), "with password") {
		t.Fatal("a restart printed demo credentials again")
	}
	if first != second || strings.Count(second, `"slug"`) != 5 {
		t.Fatalf("events changed across a restart:\n%s\n%s", first, second)
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, key) {
		t.Fatal("a restart replaced the demo's master key")
	}
	if _, err := os.Stat(filepath.Join(dataDir, "pg", "data", "PG_VERSION")); err != nil {
		t.Fatalf("private cluster not under the data dir: %v", err)
	}
}

// A private database that dies under a running server is started again, and
// the server answers again without anyone acting; a SIGTERM still stops it.
func TestPrivateDatabaseRestartedUnderServe(t *testing.T) {
	dataDir := t.TempDir()
	for d := dataDir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o711)
	}
	s := startServer(t, []string{"ATTEND_DATA_DIR=" + dataDir, "DATABASE_URL="})
	if m := s.get(t, "/metrics"); !strings.Contains(m, "\nattend_private_db_restarts_total 0\n") {
		t.Fatalf("no restart counter in the metrics:\n%s", m)
	}
	pidFile := filepath.Join(dataDir, "pg", "data", "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/api/v1/events")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 && strings.Contains(s.get(t, "/metrics"), "\nattend_private_db_restarts_total 1\n") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not recover from the database's death:\n%s", s.out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.stop(t)
	if !strings.Contains(s.out.String(), "PostgreSQL restarted") {
		t.Errorf("the restart was not logged:\n%s", s.out.String())
	}
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("the private database still runs after SIGTERM (%v):\n%s", err, s.out.String())
	}
}

package scaletest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/store"
)

// cluster is a throwaway PostgreSQL data directory on a Unix socket.
type cluster struct {
	bin, data, sock string
	port            int
	attr            *syscall.SysProcAttr
}

func (c *cluster) dsn() string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable connect_timeout=2", c.sock, c.port)
}

func (c *cluster) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.SysProcAttr = c.attr
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, out)
	}
}

func (c *cluster) start(t *testing.T) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data, "-l", c.data+".log", "-w", "start", "-o",
		fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories=%s -c port=%d -c fsync=off -c max_wal_senders=4", c.sock, c.port))
}

func (c *cluster) stop() {
	cmd := exec.Command(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", "immediate", "-w", "stop")
	cmd.SysProcAttr = c.attr
	_ = cmd.Run()
}

// pgBin finds PostgreSQL's server programs.
func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, string(out[:len(out)-1]))
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_basebackup")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	return "", errors.New("no PostgreSQL server programs (initdb, pg_basebackup)")
}

// primaryAndReplica makes a primary with initdb and a streaming replica of
// it with pg_basebackup, as .ci/scale.sh does, stopped when the test ends.
func primaryAndReplica(t *testing.T) (primary, replica *cluster) {
	t.Helper()
	bin, err := pgBin()
	if err != nil {
		t.Skip(err)
	}
	dir, err := bench.WorkDir("attend-replica-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var attr *syscall.SysProcAttr
	if os.Geteuid() == 0 {
		// PostgreSQL refuses root: its own account, as the private database does.
		u, err := user.Lookup("attend-pg")
		if err != nil {
			t.Fatalf("as root the cluster runs as attend-pg (make test-deps creates it): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		attr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	primary = &cluster{bin: bin, data: filepath.Join(dir, "p"), sock: dir, port: 5433, attr: attr}
	replica = &cluster{bin: bin, data: filepath.Join(dir, "r"), sock: dir, port: 5434, attr: attr}
	primary.run(t, "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N")
	primary.start(t)
	t.Cleanup(primary.stop)
	primary.run(t, "pg_basebackup", "-h", dir, "-p", "5433", "-U", "postgres", "-D", replica.data, "-R", "-X", "stream", "-c", "fast")
	replica.start(t)
	t.Cleanup(replica.stop)
	return primary, replica
}

// TestReplicaStaleness runs the report snapshot against a real streaming
// replica: used while it keeps up; with its replay paused, used while the
// figures are younger than the bound (and they are the old figures), then
// left for the primary with the reason; a replica that is down is left for
// the primary too, and used again once it is back.
func TestReplicaStaleness(t *testing.T) {
	primary, replica := primaryAndReplica(t)
	ctx := context.Background()
	st, err := store.Open(ctx, primary.dsn(), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB.ExecContext(ctx, `CREATE TABLE figures (n int)`); err != nil {
		t.Fatal(err)
	}
	insert := func() {
		t.Helper()
		if _, err := st.DB.ExecContext(ctx, `INSERT INTO figures VALUES (1)`); err != nil {
			t.Fatal(err)
		}
	}
	insert()
	// A generous bound first: the machine running the tests may be busy.
	rep, err := store.OpenReplica(replica.dsn(), 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	rdb, err := sqlx.Open("postgres", replica.dsn())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()

	read := func() (store.ReadSource, int) {
		t.Helper()
		var n int
		src, err := rep.ReportSnapshot(ctx, st, func(tx *sqlx.Tx) error {
			return tx.GetContext(ctx, &n, `SELECT count(*) FROM figures`)
		})
		if err != nil {
			t.Fatal(err)
		}
		return src, n
	}
	// Caught up: the replica answers, with nothing to wait for.
	deadline := time.Now().Add(20 * time.Second)
	src, n := read()
	for (src.Server != store.SourceReplica || n != 1) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		src, n = read()
	}
	if src.Server != store.SourceReplica || n != 1 || src.Staleness > time.Second || src.Fallback != "" {
		t.Fatalf("caught-up replica: %+v, %d rows", src, n)
	}

	// Replay paused: the replica holds the old figures and says how old.
	if _, err := rdb.ExecContext(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	insert()
	time.Sleep(1500 * time.Millisecond)
	insert()
	src, n = read()
	if src.Server != store.SourceReplica || n != 1 || src.Staleness < 1500*time.Millisecond || src.Fallback != "" {
		t.Errorf("paused replica within the bound: %+v, %d rows; want the replica's 1 row, at least 1.5 s stale", src, n)
	}
	rep.MaxLag = 500 * time.Millisecond
	src, n = read()
	if src.Server != store.SourcePrimary || src.Fallback != store.FallbackStale || n != 3 || src.Staleness != 0 {
		t.Errorf("paused replica beyond the bound: %+v, %d rows; want the primary's 3 rows", src, n)
	}

	// Replay resumed: the replica catches up and answers again.
	if _, err := rdb.ExecContext(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(20 * time.Second)
	for src, n = read(); src.Server != store.SourceReplica && time.Now().Before(deadline); src, n = read() {
		time.Sleep(100 * time.Millisecond)
	}
	if src.Server != store.SourceReplica || n != 3 {
		t.Errorf("resumed replica: %+v, %d rows", src, n)
	}

	// The replica stopped: the primary answers, quickly, and says why.
	rdb.Close()
	replica.stop()
	t0 := time.Now()
	src, n = read()
	if src.Server != store.SourcePrimary || src.Fallback != store.FallbackUnavailable || n != 3 {
		t.Errorf("stopped replica: %+v, %d rows", src, n)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("a stopped replica cost the report %v", d)
	}
	// Started again: used again once the pause after a failure is over.
	replica.start(t)
	deadline = time.Now().Add(30 * time.Second)
	for src, _ = read(); src.Server != store.SourceReplica && time.Now().Before(deadline); src, _ = read() {
		time.Sleep(250 * time.Millisecond)
	}
	if src.Server != store.SourceReplica {
		t.Errorf("restarted replica not used again: %+v", src)
	}
}

// Package pgembed runs a private PostgreSQL cluster from the server binaries
// installed on the machine, for `attend serve` without DATABASE_URL and for
// tests without a database server.
//
// Layout of a cluster directory (e.g. $ATTEND_DATA_DIR/pg):
//
//	data/          PGDATA, made by initdb on first start
//	run/           the Unix socket; no TCP port is opened (listen_addresses='')
//	postgres.log   server log (postgres.log.1 is the previous one, see rotateLog)
//	start.lock, users.lock   coordination between processes, see lock.go
//
// Clients connect as superuser "attend" with trust authentication over the
// socket; only the directory's owner (and root) can enter run/, which is what
// keeps other local users out. When the socket path would exceed the kernel's
// limit of 107 bytes, the socket goes to /tmp/attend-pg-<hash of dir> instead
// (see socketDir).
//
// The package is for Unix systems (Unix sockets, flock, setuid).
package pgembed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lib/pq"
)

const (
	superuser = "attend"
	// port only names the socket file (.s.PGSQL.5432); nothing listens on TCP,
	// so it cannot clash with a system PostgreSQL on 127.0.0.1:5432.
	port = 5432
	// defaultTimeout bounds a start or stop when ctx has no earlier deadline.
	defaultTimeout = 60 * time.Second
	// maxSocketPath is sizeof(sockaddr_un.sun_path) minus the trailing NUL.
	maxSocketPath = 107
	// maxLogSize: beyond it the log is moved to postgres.log.1 at the next start.
	maxLogSize = 10 << 20
)

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dir, dataDir, sockDir, logFile, bindir string
	acct                                   *account // nil: the server runs as us
	logger                                 *slog.Logger
	opt                                    options // how it was started, for Supervise's restarts

	quit     chan struct{} // closed by Stop, ends Supervise
	quitOnce sync.Once
	restarts atomic.Int64

	mu    sync.Mutex
	users *os.File // shared lock on users.lock while we use the server; nil once stopped
}

// options tune a cluster for throwaway use; Start uses the zero value.
type options struct {
	// fast trades crash safety for speed: no fsync at initdb or at run time.
	fast bool
}

// Start starts (or, if one is already running there, reuses) the cluster in dir,
// creating and initializing it on first use. As root, the server runs as the
// system user attend-pg (created if missing), because PostgreSQL refuses to run
// as root. Call Stop on exit.
func Start(ctx context.Context, dir string, logger *slog.Logger) (*Cluster, error) {
	return start(ctx, dir, logger, options{})
}

func start(ctx context.Context, dir string, logger *slog.Logger, opt options) (_ *Cluster, err error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	bindir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount(ctx, logger)
	if err != nil {
		return nil, err
	}
	c, err := newCluster(dir, bindir, acct, logger)
	if err != nil {
		return nil, err
	}
	c.opt = opt
	if err := makeDir(c.dir); err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	if err := checkTraversable(c.dir, acct); err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	if err := chownTree(c.dir, acct); err != nil {
		return nil, fmt.Errorf("pgembed: giving %s to %s: %w", c.dir, acct.name, err)
	}
	if err := ownedDir(c.sockDir, acct); err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}

	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	sl, err := openLock(filepath.Join(c.dir, startLockName))
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	defer sl.Close() // releases the start lock
	if err := lockExclusive(ctx, sl); err != nil {
		return nil, fmt.Errorf("pgembed: waiting for another process starting or stopping %s: %w", c.dir, err)
	}
	users, err := openLock(filepath.Join(c.dir, usersLockName))
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	// Blocking is safe: an exclusive holder also holds the start lock we have.
	if err := syscall.Flock(int(users.Fd()), syscall.LOCK_SH); err != nil {
		users.Close()
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	defer func() {
		if err != nil {
			users.Close()
		}
	}()

	if err := c.initdb(ctx, opt); err != nil {
		return nil, err
	}
	// A server left running by a process that died, or still used by another
	// one, answers on our socket: use it rather than start a second one (which
	// its postmaster.pid would refuse anyway).
	if c.ping(ctx, time.Second) == nil {
		logger.Info("pgembed: reusing running PostgreSQL", "dir", c.dir)
		c.users = users
		return c, nil
	}
	if err := c.startServer(ctx, opt); err != nil {
		return nil, err
	}
	if err := c.ping(ctx, 10*time.Second); err != nil {
		_ = c.pgctl(context.Background(), "stop", "-m", "fast")
		return nil, fmt.Errorf("pgembed: server started but does not answer: %w%s", err, c.logTail())
	}
	logger.Info("pgembed: PostgreSQL started", "dir", c.dir, "socket", c.sockDir, "log", c.logFile)
	c.users = users
	return c, nil
}

func newCluster(dir, bindir string, acct *account, logger *slog.Logger) (*Cluster, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	return &Cluster{
		dir:     dir,
		dataDir: filepath.Join(dir, "data"),
		sockDir: socketDir(dir),
		logFile: filepath.Join(dir, "postgres.log"),
		bindir:  bindir,
		acct:    acct,
		logger:  logger,
		quit:    make(chan struct{}),
	}, nil
}

// socketDir is dir/run unless the socket path would be too long for the kernel
// (deep $ATTEND_DATA_DIR); then a directory in /tmp named after a hash of dir,
// so each cluster still gets its own. The server touches its socket hourly,
// which keeps /tmp cleaners away from it.
func socketDir(dir string) string {
	d := filepath.Join(dir, "run")
	if len(d)+len("/.s.PGSQL."+strconv.Itoa(port)) <= maxSocketPath {
		return d
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join("/tmp", "attend-pg-"+hex.EncodeToString(sum[:8]))
}

// URL returns a lib/pq connection URL for database dbname as the superuser,
// over the Unix socket (host= naming a directory selects the socket).
func (c *Cluster) URL(dbname string) string {
	q := url.Values{}
	q.Set("host", c.sockDir)
	q.Set("port", strconv.Itoa(port))
	q.Set("sslmode", "disable")
	u := url.URL{Scheme: "postgres", User: url.User(superuser), Path: "/" + dbname, RawQuery: q.Encode()}
	return u.String()
}

// Dir returns the cluster directory.
func (c *Cluster) Dir() string { return c.dir }

// LogFile returns the path of the server log.
func (c *Cluster) LogFile() string { return c.logFile }

// CreateDatabase creates database name; an existing one is not an error, so a
// caller can run it on every start.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // duplicate_database
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgembed: create database %s: %w", name, err)
	}
	return nil
}

// Stop releases the server: it is shut down (fast mode: sessions are ended,
// data is safe) unless another process still uses it, in which case the last
// of them stops it. It ends Supervise first, so the stop is not undone. Stop is
// safe to call more than once.
func (c *Cluster) Stop() error {
	c.quitOnce.Do(func() { close(c.quit) })
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.users == nil {
		return nil
	}
	defer func() {
		c.users.Close()
		c.users = nil
	}()
	ctx, cancel := withDefaultTimeout(context.Background())
	defer cancel()
	sl, err := openLock(filepath.Join(c.dir, startLockName))
	if err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	defer sl.Close()
	if err := lockExclusive(ctx, sl); err != nil {
		return fmt.Errorf("pgembed: stop: %w", err)
	}
	last, err := tryLock(c.users, syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("pgembed: stop: %w", err)
	}
	if !last {
		c.logger.Info("pgembed: PostgreSQL still used by another process, leaving it running", "dir", c.dir)
		return nil
	}
	if err := c.pgctl(ctx, "stop", "-m", "fast"); err != nil {
		if _, serr := os.Stat(filepath.Join(c.dataDir, "postmaster.pid")); errors.Is(serr, os.ErrNotExist) {
			return nil // already stopped, e.g. by an operator
		}
		return err
	}
	c.logger.Info("pgembed: PostgreSQL stopped", "dir", c.dir)
	return nil
}

// initdb creates the data directory on first start. It initializes a sibling
// directory and renames it into place, so an interrupted initdb never leaves a
// half-made data/ that later starts would trust.
func (c *Cluster) initdb(ctx context.Context, opt options) error {
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		return nil
	}
	tmp := c.dataDir + ".init"
	args := []string{"-D", tmp, "-U", superuser, "--auth=trust", "-E", "UTF8"}
	if opt.fast {
		args = append(args, "--no-sync")
	}
	var err error
	// C.UTF-8 sorts by code point, the same on every machine; systems without
	// that locale get the plain C locale, which behaves alike for our data.
	for _, loc := range []string{"--locale=C.UTF-8", "--no-locale"} {
		if err = os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("pgembed: %w", err)
		}
		if err = c.run(ctx, "initdb", append(args, loc)...); err == nil {
			break
		}
		c.logger.Warn("pgembed: initdb failed", "locale", loc, "err", err)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, c.dataDir); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	c.logger.Info("pgembed: initialized PostgreSQL data directory", "dir", c.dataDir)
	return nil
}

// startServer runs pg_ctl start, which waits until the server accepts
// connections. pg_ctl also copes with a postmaster.pid left by a killed server:
// it tries anyway, and the postmaster removes the file when its pid is dead.
func (c *Cluster) startServer(ctx context.Context, opt options) error {
	rotateLog(c.logFile)
	// pg_ctl hands -o to /bin/sh, hence the quoting.
	o := []string{"-p", strconv.Itoa(port), "-k", c.sockDir, "-c", "listen_addresses="}
	if opt.fast {
		o = append(o, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	} else {
		o = append(o, "-c", "fsync=on")
	}
	for i := range o {
		o[i] = shellQuote(o[i])
	}
	return c.pgctl(ctx, "start", "-l", c.logFile, "-o", strings.Join(o, " "))
}

// pgctl runs pg_ctl with -D, -w, -s and a timeout from ctx; on failure the
// error carries the end of the server log, where the reason usually is.
func (c *Cluster) pgctl(ctx context.Context, action string, args ...string) error {
	secs := int(defaultTimeout / time.Second)
	if dl, ok := ctx.Deadline(); ok {
		secs = max(1, int(time.Until(dl)/time.Second))
	}
	all := append([]string{action, "-D", c.dataDir, "-w", "-s", "-t", strconv.Itoa(secs)}, args...)
	if err := c.run(ctx, "pg_ctl", all...); err != nil {
		return fmt.Errorf("%w%s", err, c.logTail())
	}
	return nil
}

// run runs a PostgreSQL program from bindir as the server account, in the
// cluster directory (the account may not enter our working directory), with the
// PG* variables removed from the environment: PGPORT or PGDATA set for some
// other server must not redirect ours.
func (c *Cluster) run(ctx context.Context, prog string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bindir, prog), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = c.acct.sysProcAttr()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgembed: %s %s: %w: %s", prog, args[0], err, strings.TrimSpace(out.String()))
	}
	return nil
}

// ping connects once to the postgres database, within timeout.
func (c *Cluster) ping(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// logTail returns the last lines of the server log, formatted for an error.
func (c *Cluster) logTail() string {
	b, err := os.ReadFile(c.logFile)
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	lines = lines[max(0, len(lines)-10):]
	return "\n" + c.logFile + " ends with:\n" + strings.Join(lines, "\n")
}

// rotateLog keeps one previous log when the current one has grown large; the
// server appends to its log for as long as it runs and across restarts.
func rotateLog(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(path, path+".1")
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

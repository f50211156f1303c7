package pgembed

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Supervision tunes Supervise; zero fields take the defaults.
type Supervision struct {
	Interval time.Duration // between checks; default 2 s
	Tries    int           // restart attempts before giving up; default 5
	Backoff  time.Duration // wait after the first failed attempt, doubling after each; default 1 s
	// Stable is how long a restarted server must stay up before the attempts
	// count from zero again, so a server that dies at once after every start
	// still ends in giving up; default 1 min.
	Stable time.Duration
}

func (s *Supervision) defaults() {
	if s.Interval <= 0 {
		s.Interval = 2 * time.Second
	}
	if s.Tries <= 0 {
		s.Tries = 5
	}
	if s.Backoff <= 0 {
		s.Backoff = time.Second
	}
	if s.Stable <= 0 {
		s.Stable = time.Minute
	}
}

// ErrGaveUp is returned by Supervise when the server could not be restarted.
var ErrGaveUp = errors.New("pgembed: PostgreSQL could not be restarted")

// Supervise watches the server until ctx ends or Stop is called, and restarts
// it with pg_ctl start (same data directory and settings) when its postmaster
// has gone, e.g. killed by the OOM killer or stopped by hand. After s.Tries
// failed attempts it logs an error and returns ErrGaveUp; the application then
// answers 503 until a person acts, as without supervision. It returns nil when
// ctx ends or the cluster is stopped.
func (c *Cluster) Supervise(ctx context.Context, s Supervision) error {
	s.defaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Stop ends the supervision before it shuts the server down, so a
	// deliberate stop is never taken for a crash; a restart under way is
	// cancelled rather than waited for.
	go func() {
		select {
		case <-c.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	tick := time.NewTicker(s.Interval)
	defer tick.Stop()
	failed := 0           // attempts since the server was last up for s.Stable
	var upSince time.Time // when the last restart succeeded
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if c.postmasterAlive() {
			if failed > 0 && !upSince.IsZero() && time.Since(upSince) >= s.Stable {
				failed = 0
			}
			continue
		}
		for {
			if failed == s.Tries {
				c.logger.Error("pgembed: PostgreSQL is down and could not be restarted; giving up, the server answers 503 until it is started",
					"dir", c.dir, "attempts", failed, "log", c.logFile)
				return ErrGaveUp
			}
			failed++
			c.logger.Warn("pgembed: PostgreSQL is not running; restarting", "dir", c.dir, "attempt", failed, "of", s.Tries)
			restarted, err := c.restart(ctx)
			if ctx.Err() != nil {
				return nil
			}
			if err == nil {
				if restarted {
					c.restarts.Add(1)
					c.logger.Info("pgembed: PostgreSQL restarted", "dir", c.dir, "attempt", failed)
				}
				upSince = time.Now()
				break
			}
			c.logger.Warn("pgembed: restarting PostgreSQL failed", "dir", c.dir, "attempt", failed, "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.Backoff << (failed - 1)):
			}
		}
	}
}

// Restarts is how many times Supervise has restarted the server.
func (c *Cluster) Restarts() int64 { return c.restarts.Load() }

// restart starts the server again unless the cluster has been stopped or
// another process (an `attend` command's Start) got there first; restarted
// says whether this call started it.
func (c *Cluster) restart(ctx context.Context) (restarted bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.users == nil {
		return false, nil // stopped
	}
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	sl, err := openLock(filepath.Join(c.dir, startLockName))
	if err != nil {
		return false, fmt.Errorf("pgembed: %w", err)
	}
	defer sl.Close()
	if err := lockExclusive(ctx, sl); err != nil {
		return false, err
	}
	if c.postmasterAlive() {
		return false, nil
	}
	// postmaster.pid is PostgreSQL's own guard against a second postmaster: if
	// one is running after all, pg_ctl fails and the check below says so.
	if err := c.startServer(ctx, c.opt); err != nil {
		if c.postmasterAlive() && c.ping(ctx, 10*time.Second) == nil {
			return false, nil
		}
		return false, err
	}
	if err := c.ping(ctx, 10*time.Second); err != nil {
		return false, fmt.Errorf("pgembed: server started but does not answer: %w", err)
	}
	return true, nil
}

// postmasterAlive reports whether the process named in postmaster.pid exists.
// It is read rather than asked over the socket: a server that is busy,
// recovering or out of connection slots is alive and must not be started
// again.
func (c *Cluster) postmasterAlive() bool {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		// Unreadable for another reason than absence: assume it runs rather
		// than start a second one.
		return !errors.Is(err, os.ErrNotExist)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return false // being written, or left half-written by a crash
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

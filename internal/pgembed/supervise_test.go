package pgembed

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fastSupervision checks often so that the tests take seconds.
var fastSupervision = Supervision{Interval: 100 * time.Millisecond, Backoff: 200 * time.Millisecond}

func postmasterPid(t *testing.T, c *Cluster) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(first)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func supervise(t *testing.T, c *Cluster) chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Supervise(ctx, fastSupervision) }()
	t.Cleanup(func() { cancel(); <-done })
	return done
}

func TestSuperviseRestartsKilledServer(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	c, err := start(ctx, clusterDir(t), testLogger(t), options{fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	db := connect(t, c, "postgres")
	supervise(t, c)

	// Twice: the first restart must leave the supervisor watching.
	for round := 1; round <= 2; round++ {
		old := postmasterPid(t, c)
		if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var one int
			err := db.GetContext(ctx, &one, `SELECT 1`)
			if err == nil && c.Restarts() == int64(round) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: no working server after the kill: restarts %d, query: %v", round, c.Restarts(), err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if pid := postmasterPid(t, c); pid == old {
			t.Fatalf("round %d: postmaster pid still %d", round, pid)
		}
	}
}

func TestSuperviseLeavesStoppedServer(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	c, err := start(ctx, clusterDir(t), testLogger(t), options{fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	done := supervise(t, c)
	time.Sleep(300 * time.Millisecond) // a few checks of a healthy server
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		done <- err // for the cleanup
		if err != nil {
			t.Fatalf("Supervise after Stop: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Supervise still running after Stop")
	}
	time.Sleep(500 * time.Millisecond)
	if c.postmasterAlive() || c.ping(ctx, time.Second) == nil || c.Restarts() != 0 {
		t.Fatalf("stopped server came back (restarts %d)", c.Restarts())
	}
}

func TestSuperviseGivesUp(t *testing.T) {
	t.Parallel()
	skipWithoutServer(t)
	ctx := context.Background()
	c, err := start(ctx, clusterDir(t), testLogger(t), options{fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if err := c.pgctl(ctx, "stop", "-m", "immediate"); err != nil {
		t.Fatal(err)
	}
	// A data directory PostgreSQL refuses to start from.
	if err := os.Rename(filepath.Join(c.dataDir, "PG_VERSION"), filepath.Join(c.dataDir, "PG_VERSION.gone")); err != nil {
		t.Fatal(err)
	}
	s := fastSupervision
	s.Tries, s.Backoff = 2, 50*time.Millisecond
	done := make(chan error, 1)
	go func() { done <- c.Supervise(ctx, s) }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrGaveUp) {
			t.Fatalf("Supervise = %v, want ErrGaveUp", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Supervise did not give up")
	}
	if c.Restarts() != 0 {
		t.Errorf("restarts = %d", c.Restarts())
	}
}

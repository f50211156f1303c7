package pgembed

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// Two advisory file locks coordinate processes sharing one cluster directory
// (say `attend serve` and an `attend` admin command started beside it):
//
//   - start.lock, held exclusively while a process starts, reuses or stops the
//     server, so those steps never interleave (no double initdb, no start racing
//     a stop);
//   - users.lock, held shared by every process using the server for as long as
//     it does. Stop shuts the server down only if it can take this lock
//     exclusively, i.e. when no other process still uses it: the last one out
//     turns off the lights, whoever started it.
//
// flock locks vanish when their holder dies, so a killed process never leaves a
// lock behind. Go opens files close-on-exec, so the server never inherits them.
const (
	startLockName = "start.lock"
	usersLockName = "users.lock"
)

func openLock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

// lockExclusive waits for an exclusive lock on f, polling so that ctx can end
// the wait (flock itself cannot be interrupted from Go).
func lockExclusive(ctx context.Context, f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tryLock takes a lock on f, retrying for a moment; false means another
// process holds a conflicting one. The retries matter: a child forked by any
// goroutine of a process holds copies of its descriptors until it execs, so a
// lock can look held for an instant after its owner released it. Converting a
// held lock may drop it first (flock(2)).
func tryLock(f *os.File, how int) (bool, error) {
	for i := 0; ; i++ {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err == nil, err
		}
		if i == 5 {
			return false, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

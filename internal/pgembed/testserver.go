package pgembed

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// testDirPrefix names throwaway cluster directories in os.TempDir().
const testDirPrefix = "attend-pgtest-"

// testServer is the one throwaway cluster of this process, shared by all
// TestServer callers and stopped when the last of them calls stop. It is
// started lazily, on the first call, never at init.
var testServer struct {
	mu   sync.Mutex
	refs int
	c    *Cluster
}

// TestServer returns the superuser URL (database "postgres") of a throwaway
// cluster in a fresh temporary directory, started on first use and shared by
// the whole process; stop releases it, and the last release stops the server
// and deletes its directory. The cluster skips fsync: it is fast and must never
// hold data that matters. Callers create their own databases (CREATE DATABASE,
// or Cluster.URL-style URLs with another dbname).
//
// Test binaries killed before stop (a -timeout panic, ^C) leave their cluster
// behind, since pg_ctl detaches the server from our process; every TestServer
// start therefore removes such leftovers first (see sweepTestDirs).
func TestServer(ctx context.Context) (adminURL string, stop func(), err error) {
	testServer.mu.Lock()
	defer testServer.mu.Unlock()
	if testServer.c == nil {
		logger := slog.Default()
		sweepTestDirs(ctx, logger)
		dir, err := os.MkdirTemp("", testDirPrefix)
		if err != nil {
			return "", nil, err
		}
		c, err := start(ctx, dir, logger, options{fast: true})
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
		testServer.c = c
	}
	testServer.refs++
	var once sync.Once
	stop = func() {
		once.Do(func() {
			testServer.mu.Lock()
			defer testServer.mu.Unlock()
			testServer.refs--
			if testServer.refs > 0 {
				return
			}
			c := testServer.c
			testServer.c = nil
			if err := c.Stop(); err != nil {
				slog.Default().Warn("pgembed: stopping test server", "err", err)
			}
			os.RemoveAll(c.dir)
		})
	}
	return testServer.c.URL("postgres"), stop, nil
}

// sweepTestDirs stops and deletes throwaway clusters whose processes died. A
// directory is abandoned when nobody holds its locks; young ones are skipped
// because their creator may not have taken the locks yet.
func sweepTestDirs(ctx context.Context, logger *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), testDirPrefix+"*"))
	if len(dirs) == 0 {
		return
	}
	bindir, err := FindBinaries()
	if err != nil {
		return
	}
	acct, err := serverAccount(ctx, logger)
	if err != nil {
		return
	}
	for _, dir := range dirs {
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < 2*time.Minute {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || (st.Uid != uint32(os.Geteuid()) && (acct == nil || st.Uid != acct.uid)) {
			continue // someone else's
		}
		sweepTestDir(ctx, dir, bindir, acct, logger)
	}
}

func sweepTestDir(ctx context.Context, dir, bindir string, acct *account, logger *slog.Logger) {
	for _, name := range []string{startLockName, usersLockName} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			if os.IsNotExist(err) {
				continue // died before locking anything
			}
			return
		}
		defer f.Close()
		if ok, err := tryLock(f, syscall.LOCK_EX); !ok {
			logger.Debug("pgembed: test cluster in use, not sweeping", "dir", dir, "lock", name, "err", err)
			return
		}
	}
	c, err := newCluster(dir, bindir, acct, logger)
	if err != nil {
		return
	}
	if _, err := os.Stat(filepath.Join(c.dataDir, "postmaster.pid")); err == nil {
		// Immediate: the data is about to be deleted anyway.
		if err := c.pgctl(ctx, "stop", "-m", "immediate"); err != nil {
			logger.Warn("pgembed: stopping abandoned test server", "dir", dir, "err", err)
		}
	}
	if err := os.RemoveAll(dir); err == nil {
		logger.Info("pgembed: removed abandoned test cluster", "dir", dir)
	}
}

package pgembed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// serverUser is the unprivileged account that owns and runs the cluster when we
// are root: PostgreSQL refuses to run as root, and a dedicated account keeps the
// trust-authenticated socket away from every other local user.
const serverUser = "attend-pg"

// account is the identity the PostgreSQL programs run as. A nil *account means
// "as ourselves" (we are not root).
type account struct {
	name     string
	uid, gid uint32
}

// sysProcAttr returns the SysProcAttr that drops root for a child process.
// Groups is empty (not nil) so root's supplementary groups are dropped too.
func (a *account) sysProcAttr() *syscall.SysProcAttr {
	if a == nil {
		return nil
	}
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: []uint32{}}}
}

// serverAccount picks who runs the cluster: ourselves unless we are root; as
// root the dedicated system user. The server never creates accounts of the
// operating system: `make run` and `make test` do (.ci/install-deps.sh), an
// operator does it once by hand.
func serverAccount(_ context.Context, _ *slog.Logger) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	a, err := lookupAccount(serverUser)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs the system user %s (%w); create it once with: "+
			"useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group %s "+
			"(make run does), or set DATABASE_URL", serverUser, err, serverUser)
	}
	return a, nil
}

func lookupAccount(name string) (*account, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	if uid == 0 {
		return nil, fmt.Errorf("user %s has uid 0", name)
	}
	return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// makeDir creates dir (mode 0700) and any missing parents. Parents we create get
// mode 0711 so that, when we are root, the server account can traverse them to
// reach its data; 0711 lets others pass through by exact name but not list the
// directory. Parents that already existed are never loosened: changing the
// permissions of someone else's directory is the operator's decision, so
// checkTraversable reports it instead.
func makeDir(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, d := range missing {
		if d == dir {
			continue
		}
		if err := os.Chmod(d, 0o711); err != nil {
			return err
		}
	}
	return nil
}

// checkTraversable verifies that acct can reach dir through every parent.
func checkTraversable(dir string, acct *account) error {
	if acct == nil {
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		perm := fi.Mode().Perm()
		var can bool
		switch {
		case st.Uid == acct.uid:
			can = perm&0o100 != 0
		case st.Gid == acct.gid:
			can = perm&0o010 != 0
		default:
			can = perm&0o001 != 0
		}
		if !can {
			return fmt.Errorf("%w, PostgreSQL runs as user %s (PostgreSQL refuses root), which cannot enter %s "+
				"(mode %v): allow it with `chmod o+x %s`, or put the data directory elsewhere", ErrNotTraversable, acct.name, d, perm, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// chownTree hands dir and everything in it to acct if dir is not already
// theirs (first start as root, or a data directory made by an earlier non-root
// run). PostgreSQL insists the data directory belong to the server's user.
func chownTree(dir string, acct *account) error {
	if acct == nil {
		return nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == acct.uid && st.Gid == acct.gid {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(acct.uid), int(acct.gid))
	})
}

// ownedDir creates dir with mode 0700 owned by acct (or by us). A directory that
// already exists must be a private directory of that owner, not a symbolic link:
// socket directories live under the shared /tmp, where another local user could
// plant either to intercept our connections.
func ownedDir(dir string, acct *account) error {
	uid, gid := uint32(os.Geteuid()), uint32(os.Getegid())
	if acct != nil {
		uid, gid = acct.uid, acct.gid
	}
	err := os.Mkdir(dir, 0o700)
	if err == nil {
		if acct != nil {
			return os.Lchown(dir, int(uid), int(gid))
		}
		return nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || st.Uid != uid || fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("socket directory %s exists but is not a private directory of uid %d", dir, uid)
	}
	return nil
}

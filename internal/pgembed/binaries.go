package pgembed

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNotTraversable means that, as root, the unprivileged server account
// cannot reach the cluster directory through its parents.
var ErrNotTraversable = errors.New("the data directory is not reachable for the server account")

// ErrNoServer means no usable PostgreSQL server binaries were found.
var ErrNoServer = errors.New("PostgreSQL server binaries not found: install them " +
	"(Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL")

// serverBinaries are the programs a private cluster needs, all from one directory
// so that initdb, pg_ctl and postgres agree on the version and data format.
var serverBinaries = []string{"postgres", "initdb", "pg_ctl"}

// debianBinGlob is where Debian/Ubuntu install each major version side by side.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding postgres, initdb and pg_ctl.
// It looks on PATH, then at `pg_config --bindir`, then in Debian's versioned
// folders (newest first). A directory qualifies only if it holds all three
// programs and they report the same major version: /usr/local/bin or /usr/bin
// may carry a lone wrapper script (Debian's pg_wrapper) or a stray link to
// another version, and mixing versions makes initdb or the server fail later
// with a far less helpful message.
func FindBinaries() (bindir string, err error) {
	return findBinaries(candidateDirs())
}

func findBinaries(dirs []string) (string, error) {
	seen := map[string]bool{}
	var rejected []string
	for _, d := range dirs {
		d = resolveDir(d)
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		if !hasAll(d) {
			continue
		}
		if err := sameVersion(d); err != nil {
			rejected = append(rejected, err.Error())
			continue
		}
		return d, nil
	}
	if len(rejected) > 0 {
		return "", fmt.Errorf("%w (%s)", ErrNoServer, strings.Join(rejected, "; "))
	}
	return "", ErrNoServer
}

// candidateDirs lists directories to try, in order of preference.
func candidateDirs() []string {
	var dirs []string
	dirs = append(dirs, filepath.SplitList(os.Getenv("PATH"))...)
	if pgc, err := exec.LookPath("pg_config"); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		out, err := exec.CommandContext(ctx, pgc, "--bindir").Output()
		cancel()
		if err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	return append(dirs, debianDirs(debianBinGlob)...)
}

// debianDirs expands glob and sorts the matches by their numeric major version,
// highest first (so 16 comes before 9.6, which a string sort gets wrong).
func debianDirs(glob string) []string {
	matches, _ := filepath.Glob(glob)
	ver := func(p string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(p)), 64)
		return v
	}
	sort.SliceStable(matches, func(i, j int) bool { return ver(matches[i]) > ver(matches[j]) })
	return matches
}

// resolveDir returns d as an absolute directory. When d holds postgres as a
// symbolic link (/usr/local/bin/postgres -> /usr/lib/postgresql/15/bin/postgres)
// and the link target's directory has the whole set, that directory is used, so
// that later messages and the server's own library lookups name the real place.
func resolveDir(d string) string {
	if d == "" {
		return ""
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(filepath.Join(abs, "postgres")); err == nil {
		if rd := filepath.Dir(real); rd != abs && hasAll(rd) {
			return rd
		}
	}
	return abs
}

func hasAll(dir string) bool {
	for _, name := range serverBinaries {
		if !isExecutable(filepath.Join(dir, name)) {
			return false
		}
	}
	return true
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// sameVersion checks that every program in dir reports one major version, e.g.
// "postgres (PostgreSQL) 15.8" and "initdb (PostgreSQL) 15.8".
func sameVersion(dir string) error {
	var first string
	for _, name := range serverBinaries {
		v, err := majorVersion(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("%s: %v", filepath.Join(dir, name), err)
		}
		if first == "" {
			first = v
		} else if v != first {
			return fmt.Errorf("%s: mixed versions %s and %s", dir, first, v)
		}
	}
	return nil
}

func majorVersion(prog string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, prog, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("--version: %w", err)
	}
	// "pg_ctl (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)": the third field.
	f := strings.Fields(string(out))
	if len(f) < 3 || f[1] != "(PostgreSQL)" {
		return "", fmt.Errorf("unexpected --version output %q", strings.TrimSpace(string(out)))
	}
	major, _, _ := strings.Cut(f[2], ".")
	return major, nil
}

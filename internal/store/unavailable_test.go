package store_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// TestUnavailableClassifies checks the errors that mean "the database cannot
// be reached right now" (503 with Retry-After) apart from query errors (500 or 4xx).
func TestUnavailableClassifies(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"shutting down 57P03", &pq.Error{Code: "57P03", Message: "the database system is shutting down"}, true},
		{"admin shutdown 57P01", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"crash shutdown 57P02", &pq.Error{Code: "57P02"}, true},
		{"cancelled by deadline 57014", &pq.Error{Code: "57014"}, true},
		{"connection failure 08006", &pq.Error{Code: "08006"}, true},
		{"too many connections 53300", &pq.Error{Code: "53300"}, true},
		{"bad connection", driver.ErrBadConn, true},
		{"wrapped bad connection", fmt.Errorf("scan: %w", driver.ErrBadConn), true},
		{"connection done", sql.ErrConnDone, true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"bare ECONNREFUSED", syscall.ECONNREFUSED, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"EOF", io.EOF, true},
		{"unexpected EOF", fmt.Errorf("pq: %w", io.ErrUnexpectedEOF), true},
		{"pool wait past the deadline", fmt.Errorf("begin: %w", context.DeadlineExceeded), true},
		{"unique violation", &pq.Error{Code: "23505"}, false},
		{"check violation", &pq.Error{Code: "23514"}, false},
		{"syntax error", &pq.Error{Code: "42601"}, false},
		{"not found", store.ErrNotFound, false},
		{"no rows", sql.ErrNoRows, false},
		{"plain error", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := store.Unavailable(c.err); got != c.want {
			t.Errorf("%s: Unavailable(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

// TestUnavailableRealErrors produces the errors with a real server: a killed
// session, a socket that is gone, and a pool wait that outlives its deadline.
func TestUnavailableRealErrors(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, dbtest.URL(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// An administrator (or a restart) ends our session mid-use.
	conn, err := st.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("postgres", dbtest.AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	var one int
	err = conn.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
	conn.Close()
	if err == nil || !store.Unavailable(err) {
		t.Errorf("query on a terminated session: %v, want an unavailable error", err)
	}

	// The pool (one connection) is taken: a second caller waits no longer than its context.
	held, err := st.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	start := time.Now()
	_, err = st.DB.ExecContext(wctx, `SELECT 1`)
	cancel()
	held.Close()
	if err == nil || !store.Unavailable(err) || time.Since(start) > 2*time.Second {
		t.Errorf("pool wait: %v after %v, want an unavailable error within the deadline", err, time.Since(start))
	}

	// No server behind the socket.
	dir := t.TempDir()
	gone, err := sql.Open("postgres", "postgres://attend@/postgres?sslmode=disable&connect_timeout=2&host="+filepath.Join(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer gone.Close()
	err = gone.PingContext(ctx)
	if err == nil || !store.Unavailable(err) {
		t.Errorf("ping without a server: %v, want an unavailable error", err)
	}
}

package bench

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/store"
)

// PGBenchBin is pgbench, PostgreSQL's own load tool (Debian's postgresql-client).
var PGBenchBin = "/usr/bin/pgbench"

// pgbenchStatement is the server's own check-in statement run by pgbench:
// door_scan (authenticating the device by its token, admitting the ticket's
// holder once a day, logging the scan with its answer), one statement and
// its transaction, as the server runs it. Each client takes its own tickets
// in turn (first scans, as nearly all of the server run's are); the ticket
// is found by its code, as the server finds the verified ticket by its id.
const pgbenchStatement = `\set i :i + 1
\set n :client_id * :per + (:i % :per) + 1
SELECT door_scan(decode(:hash, 'hex'), :dev, NULL, :event, (SELECT id FROM tickets WHERE code = 'pgb-' || :n), NULL, NULL, :day, now(), gen_random_uuid(), 'qr', true, false, false, false, false);
`

// pgbenchMinimal is the minimal check-in transaction PostgreSQL can do: one
// UPDATE of a ticket found by its code and one INSERT of a scan row, in one
// transaction. The update rewrites the row without changing it (a real row
// version and WAL, as a "checked in" flag would cost); the scan row carries no
// answer. It is what any check-in must at least do, without the checks.
const pgbenchMinimal = `\set n random(:lo, :hi)
BEGIN;
UPDATE tickets SET revoked_reason = revoked_reason WHERE code = 'pgb-' || :n RETURNING id AS tid \gset
INSERT INTO scans (scan_id, event_id, ticket_id, day, result, scanned_at) VALUES (gen_random_uuid(), :event, :tid, current_date, 'admitted', now());
END;
`

// PGBench is the check-in transaction run by pgbench on the database the
// server uses, with its tickets.
type PGBench struct {
	DatabaseURL string
	EventID     int64
	TicketIDs   []int64 // given the codes pgb-1 ... pgb-N first
	Clients     int
	Duration    time.Duration
	Dir         string // for the script file
	// The device every client scans as (its token's hash) and the day
	// scanned, for the server's statement.
	TokenHash []byte
	DeviceID  int64
	Day       time.Time
	// Minimal runs pgbenchMinimal instead of the server's statement.
	Minimal bool
}

// PGBenchResult is what pgbench printed.
type PGBenchResult struct {
	TPS          float64 `json:"tps"`
	Transactions int64   `json:"transactions"`
	LatencyMS    float64 `json:"latency_avg_ms"`
	Failed       int64   `json:"failed"`
	Logged       int64   `json:"scans_logged"` // scan rows with a ticket written during the run
	Admitted     int64   `json:"admitted"`     // of them, first scans (the expensive path, as the server run's are)
	Command      string  `json:"command"`
}

var (
	pgbTPS     = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	pgbTx      = regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`)
	pgbLatency = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
	pgbFailed  = regexp.MustCompile(`number of failed transactions: ([0-9]+)`)
)

// Run renames the tickets' codes for the script, writes the script and runs pgbench.
func (p PGBench) Run(ctx context.Context, st *store.Store) (PGBenchResult, error) {
	if len(p.TicketIDs) == 0 {
		return PGBenchResult{}, fmt.Errorf("pgbench: no tickets")
	}
	if _, err := st.DB.ExecContext(ctx, `UPDATE tickets t SET code = 'pgb-' || x.n
		FROM unnest($1::bigint[]) WITH ORDINALITY x(id, n) WHERE t.id = x.id`, pq.Array(p.TicketIDs)); err != nil {
		return PGBenchResult{}, fmt.Errorf("pgbench tickets: %w", err)
	}
	if _, err := st.DB.ExecContext(ctx, `VACUUM (ANALYZE) tickets`); err != nil {
		return PGBenchResult{}, err
	}
	lo, hi := 1, len(p.TicketIDs)
	f, err := os.CreateTemp(p.Dir, "checkin-*.sql")
	if err != nil {
		return PGBenchResult{}, err
	}
	defer os.Remove(f.Name())
	script := pgbenchStatement
	vars := []string{"-D", "hash=" + hex.EncodeToString(p.TokenHash), "-D", "dev=" + strconv.FormatInt(p.DeviceID, 10),
		"-D", "day=" + p.Day.Format("2006-01-02"), "-D", "i=0", "-D", "per=" + strconv.Itoa(max(1, hi/max(1, p.Clients)))}
	if p.Minimal {
		script, vars = pgbenchMinimal, []string{"-D", "lo=" + strconv.Itoa(lo), "-D", "hi=" + strconv.Itoa(hi)}
	}
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return PGBenchResult{}, err
	}
	if err := f.Close(); err != nil {
		return PGBenchResult{}, err
	}
	// What pgbench wrote is counted afterwards: a refused token or an unknown
	// ticket would be fast and count as transactions all the same.
	const counted = `SELECT count(*) AS logged, count(*) FILTER (WHERE result = 'admitted') AS admitted
		FROM scans WHERE event_id = $1 AND ticket_id IS NOT NULL`
	var before, after struct{ Logged, Admitted int64 }
	if err := st.DB.GetContext(ctx, &before, counted, p.EventID); err != nil {
		return PGBenchResult{}, err
	}
	secs := max(1, int(p.Duration.Round(time.Second).Seconds()))
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(p.Clients), "-j", strconv.Itoa(min(p.Clients, 2)),
		"-T", strconv.Itoa(secs), "-f", f.Name(), "-D", "event=" + strconv.FormatInt(p.EventID, 10)}
	shown := len(args) - 4
	args = append(args, vars...)
	cmd := exec.CommandContext(ctx, PGBenchBin, append(args, p.DatabaseURL)...)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	res := PGBenchResult{Command: "pgbench " + strings.Join(args[:shown], " ") + " -f " + filepath.Base(f.Name()) + " ..."}
	if err != nil {
		return res, fmt.Errorf("pgbench: %w: %s", err, lastLines(string(out), 5))
	}
	m := pgbTPS.FindStringSubmatch(string(out))
	if m == nil {
		return res, fmt.Errorf("pgbench: no tps in its output: %s", lastLines(string(out), 5))
	}
	res.TPS, _ = strconv.ParseFloat(m[1], 64)
	if m := pgbTx.FindStringSubmatch(string(out)); m != nil {
		res.Transactions, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := pgbLatency.FindStringSubmatch(string(out)); m != nil {
		res.LatencyMS, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := pgbFailed.FindStringSubmatch(string(out)); m != nil {
		res.Failed, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if err := st.DB.GetContext(ctx, &after, counted, p.EventID); err != nil {
		return res, err
	}
	res.Admitted = after.Admitted - before.Admitted
	if res.Logged = after.Logged - before.Logged; res.Logged < res.Transactions {
		return res, fmt.Errorf("pgbench: %d transactions but %d scans of a ticket logged", res.Transactions, res.Logged)
	}
	return res, nil
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], " | ")
}

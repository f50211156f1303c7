// Package scale runs attend as an operator would beyond one machine: several
// instances on one PostgreSQL behind HAProxy (with a streaming replica for
// the reports when one is given), door scans and registrations through the
// balancer, one instance killed and one restarted under load; then it counts
// in the database that every acknowledged scan and registration is there and
// that nobody was admitted twice. `make scale` runs it with three instances
// and a replica (.ci/scale.sh); internal/scaletest with two and no replica.
package scale

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/store"
)

// Options configure a run.
type Options struct {
	Bin     string // the attend binary
	HAProxy string // the haproxy binary
	// DatabaseURL is the primary, an empty database or one of attend's.
	DatabaseURL string
	// ReplicaURL is a streaming replica of it, for the reports; optional.
	ReplicaURL    string
	ReplicaMaxLag time.Duration
	Dir           string // logs and configuration
	Instances     int
	Devices       int // door phones, each scanning as fast as answered
	Clients       int // people registering at once
	// Baseline is how long the same load runs against one instance directly
	// first (0 skips it); Duration is the run through the balancer, with
	// the faults at a quarter, half and three quarters of it.
	Baseline, Duration time.Duration
	// RollingRestart also stops one other instance gracefully and starts it
	// again (as an upgrade does), at three quarters of the run.
	RollingRestart bool
	// Tickets to seed; 0 is enough for the run at 1,500 scans a second.
	Tickets int
	Out     io.Writer
}

// Result is what a run counted.
type Result struct {
	SingleDoor, SingleReg Stats
	Door, Reg             Stats
	// SteadyDoor is the scans per second through the balancer before the kill.
	SteadyDoor, SteadyReg float64

	AckedScans, ScansFound           int
	AdmittedAnswers, AdmittedRowsAck int // "admitted" answers; their scan ids with an admission row
	PeopleAnsweredTwice              int // registrations answered "admitted" more than once
	AdmissionRows, PeopleAdmitted    int // the seeded people's admissions in the database
	DuplicateAdmissions              int // (person, day) with more than one admission
	AckedRegistrations, RegsFound    int

	Reports                        []reportSample
	FromReplica, FromPrimary       int
	MaxStaleness, MeanStaleness    float64
	MaxReplayLag, MaxReplayLagByte float64 // pg_stat_replication during the run
	WALBytes                       float64 // written by the primary during the run through the balancer
	Events                         []string
}

// OK says whether the guarantees held.
func (r *Result) OK() error {
	var errs []string
	if r.ScansFound != r.AckedScans {
		errs = append(errs, fmt.Sprintf("%d acknowledged scans missing", r.AckedScans-r.ScansFound))
	}
	if r.RegsFound != r.AckedRegistrations {
		errs = append(errs, fmt.Sprintf("%d acknowledged registrations missing", r.AckedRegistrations-r.RegsFound))
	}
	if r.DuplicateAdmissions != 0 || r.PeopleAnsweredTwice != 0 {
		errs = append(errs, fmt.Sprintf("admitted twice: %d in the database, %d in the answers", r.DuplicateAdmissions, r.PeopleAnsweredTwice))
	}
	if r.AdmittedRowsAck != r.AdmittedAnswers {
		errs = append(errs, fmt.Sprintf("%d admitted answers without their admission", r.AdmittedAnswers-r.AdmittedRowsAck))
	}
	if r.AdmissionRows != r.PeopleAdmitted || r.AdmissionRows < r.AdmittedAnswers {
		errs = append(errs, fmt.Sprintf("%d admissions for %d people, %d admitted answers", r.AdmissionRows, r.PeopleAdmitted, r.AdmittedAnswers))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Run starts the instances and the balancer, drives the load with the
// faults, checks the database and returns what it counted.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Instances < 2 {
		return nil, errors.New("at least two instances")
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	res := &Result{}
	t0 := time.Now()
	var evMu sync.Mutex
	event := func(format string, args ...any) {
		evMu.Lock()
		defer evMu.Unlock()
		line := fmt.Sprintf("%5.1fs  ", time.Since(t0).Seconds()) + fmt.Sprintf(format, args...)
		res.Events = append(res.Events, line)
		fmt.Fprintln(out, line)
	}

	keyFile := filepath.Join(o.Dir, "secret.key")
	key, err := secretbox.GenerateKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	extra := []string{"ATTEND_SECRET_KEY_FILE=" + keyFile, "ATTEND_TRUSTED_PROXIES=127.0.0.1"}
	if o.ReplicaURL != "" {
		extra = append(extra, "ATTEND_REPLICA_URL="+o.ReplicaURL)
		if o.ReplicaMaxLag > 0 {
			extra = append(extra, "ATTEND_REPLICA_MAX_LAG="+o.ReplicaMaxLag.String())
		}
	}

	// The first instance migrates and loads the programme, the others join.
	srvs := make([]*bench.Proc, o.Instances)
	start := func(i int) error {
		sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		p, err := bench.StartServer(sctx, o.Bin, o.DatabaseURL, filepath.Join(o.Dir, fmt.Sprintf("instance%d.log", i+1)), extra...)
		if err != nil {
			return fmt.Errorf("instance %d: %w", i+1, err)
		}
		srvs[i] = p
		return nil
	}
	defer func() {
		for _, p := range srvs {
			if p != nil {
				p.Stop()
			}
		}
	}()
	if err := start(0); err != nil {
		return nil, err
	}
	errs := make([]error, o.Instances)
	var wg sync.WaitGroup
	for i := 1; i < o.Instances; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = start(i) }()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	addrs := make([]string, o.Instances)
	for i, p := range srvs {
		addrs[i] = p.Addr
	}
	event("%d instances ready: %s", o.Instances, strings.Join(addrs, ", "))

	lbAddr, err := bench.FreeAddr()
	if err != nil {
		return nil, err
	}
	lb, err := StartHAProxy(ctx, o.HAProxy, o.Dir, lbAddr, addrs)
	if err != nil {
		return nil, err
	}
	defer lb.Stop()
	event("HAProxy on %s (health check GET /readyz every 500 ms, out after 2 failures, back after 2 successes)", lb.URL())

	st, err := store.Open(ctx, o.DatabaseURL, 8)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	st.Sealer = secretbox.NewKeyring(key)

	total := o.Baseline + o.Duration
	nTickets := o.Tickets
	if nTickets <= 0 {
		nTickets = max(2000, int(total.Seconds()*1500))
	}
	ev, tickets, err := bench.SeedTickets(ctx, st, bench.DoorEvent, nTickets)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	tokens, err := bench.AddDevices(ctx, st, ev.ID, o.Devices, lb.URL())
	if err != nil {
		return nil, err
	}
	var regSlug string
	if err := st.DB.GetContext(ctx, &regSlug, `SELECT slug FROM events ORDER BY first_day DESC LIMIT 1`); err != nil {
		return nil, err
	}
	reportToken, err := reportToken(ctx, o, keyFile)
	if err != nil {
		return nil, err
	}
	event("seeded %d tickets for %s, %d door devices; registrations go to %s", nTickets, ev.Slug, o.Devices, regSlug)

	var tag [4]byte
	rand.Read(tag[:])
	led := newLedger()
	base := load{tokens: tokens, tickets: tickets, next: new(atomic.Int64), slug: regSlug, clients: o.Clients,
		regSeq: new(atomic.Int64), tag: hex.EncodeToString(tag[:]), ledger: led, repeat: 0.05, maxRetry: 8}

	if o.Baseline > 0 {
		l := base
		l.url = srvs[0].URL()
		event("one instance directly (%s): %d devices and %d registering clients for %v", l.url, o.Devices, o.Clients, o.Baseline)
		stop := make(chan struct{})
		time.AfterFunc(o.Baseline, func() { close(stop) })
		res.SingleDoor, res.SingleReg = l.run(ctx, stop)
		event("  door:          %s", res.SingleDoor)
		event("  registrations: %s", res.SingleReg)
	}

	// Through the balancer, with the faults.
	l := base
	l.url = lb.URL()
	event("through HAProxy (%d instances): the same load for %v", o.Instances, o.Duration)
	stop := make(chan struct{})
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		c := &http.Client{Timeout: 10 * time.Second}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			s := readReport(ctx, c, lb.URL(), ev.Slug, reportToken)
			res.Reports = append(res.Reports, s)
			var lag, bytes float64
			if err := st.DB.QueryRowContext(ctx, `SELECT coalesce(max(extract(epoch FROM replay_lag)), 0),
				coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0) FROM pg_stat_replication`).Scan(&lag, &bytes); err == nil {
				res.MaxReplayLag, res.MaxReplayLagByte = max(res.MaxReplayLag, lag), max(res.MaxReplayLagByte, bytes)
			}
		}
	}()
	faultsDone := make(chan struct{})
	killed := srvs[o.Instances-1]
	go func() {
		defer close(faultsDone)
		sleep := func(d time.Duration) bool {
			select {
			case <-ctx.Done():
				return false
			case <-time.After(d):
				return true
			}
		}
		q := o.Duration / 4
		if !sleep(q) {
			return
		}
		killed.Kill()
		event("  SIGKILL instance %d (%s) under load", o.Instances, killed.Addr)
		if !sleep(q) {
			return
		}
		if err := killed.Start(); err == nil {
			if err := killed.WaitReady(ctx, 60*time.Second); err != nil {
				event("  instance %d did not come back: %v", o.Instances, err)
			} else {
				event("  instance %d started again and ready", o.Instances)
			}
		}
		if !o.RollingRestart || !sleep(q) {
			return
		}
		r := srvs[1]
		event("  SIGTERM instance 2 (%s): graceful restart under load", r.Addr)
		r.Stop()
		if err := r.Start(); err == nil {
			if err := r.WaitReady(ctx, 60*time.Second); err == nil {
				event("  instance 2 started again and ready")
			}
		}
	}()
	var walStart string
	if err := st.DB.GetContext(ctx, &walStart, `SELECT pg_current_wal_lsn()::text`); err != nil {
		return nil, err
	}
	time.AfterFunc(o.Duration, func() { close(stop) })
	res.Door, res.Reg = l.run(ctx, stop)
	if err := st.DB.GetContext(ctx, &res.WALBytes, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)`, walStart); err != nil {
		return nil, err
	}
	<-samplerDone
	<-faultsDone
	event("  door:          %s", res.Door)
	event("  registrations: %s", res.Reg)
	steady := int(o.Duration / 4 / time.Second)
	res.SteadyDoor, res.SteadyReg = meanOf(res.Door.PerSecondN, steady), meanOf(res.Reg.PerSecondN, steady)

	// Let the replica catch up, then count on the primary.
	if err := verify(ctx, st, ev.ID, tickets, led, res); err != nil {
		return res, err
	}
	var sum float64
	for _, s := range res.Reports {
		switch s.Server {
		case store.SourceReplica:
			res.FromReplica++
		case store.SourcePrimary:
			res.FromPrimary++
		}
		sum += s.Staleness
		res.MaxStaleness = max(res.MaxStaleness, s.Staleness)
	}
	if len(res.Reports) > 0 {
		res.MeanStaleness = sum / float64(len(res.Reports))
	}
	return res, nil
}

// meanOf is the mean of the first n per-second counts (skipping the first
// second, which starts the connections).
func meanOf(perSecond []int, n int) float64 {
	if n > len(perSecond) {
		n = len(perSecond)
	}
	if n < 2 {
		return 0
	}
	sum := 0
	for _, v := range perSecond[1:n] {
		sum += v
	}
	return float64(sum) / float64(n-1)
}

// reportToken makes an administrator and a report-scope API token with the
// attend binary itself, as an operator would.
func reportToken(ctx context.Context, o Options, keyFile string) (string, error) {
	var tag [3]byte
	rand.Read(tag[:])
	email := "scale-" + hex.EncodeToString(tag[:]) + "@example.org"
	env := append(os.Environ(), "DATABASE_URL="+o.DatabaseURL, "ATTEND_SECRET_KEY_FILE="+keyFile, "ATTEND_DATA_DIR="+filepath.Join(o.Dir, "data"))
	add := exec.CommandContext(ctx, o.Bin, "user", "add", "--email", email, "--name", "Scale Check", "--role", "admin")
	add.Env = env
	add.Stdin = strings.NewReader("scale-check-" + hex.EncodeToString(tag[:]) + "-long-enough-password\n")
	if b, err := add.CombinedOutput(); err != nil {
		return "", fmt.Errorf("attend user add: %v: %s", err, b)
	}
	tok := exec.CommandContext(ctx, o.Bin, "token", "add", "--user", email, "--scope", "report")
	tok.Env = env
	b, err := tok.Output()
	if err != nil {
		return "", fmt.Errorf("attend token add: %v", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line), nil
}

// verify counts in the database what the answers promised.
func verify(ctx context.Context, st *store.Store, eventID int64, tickets []bench.Ticket, led *ledger, res *Result) error {
	led.mu.Lock()
	defer led.mu.Unlock()
	ids := make([]string, 0, len(led.scans))
	for id := range led.scans {
		ids = append(ids, id)
	}
	res.AckedScans = len(ids)
	if err := st.DB.GetContext(ctx, &res.ScansFound, `SELECT count(*) FROM scans WHERE scan_id = ANY($1::uuid[])`, pq.Array(ids)); err != nil {
		return err
	}
	res.AdmittedAnswers = len(led.admittedScans)
	if err := st.DB.GetContext(ctx, &res.AdmittedRowsAck, `SELECT count(*) FROM admissions WHERE scan_id = ANY($1::uuid[]) AND undone_at IS NULL`,
		pq.Array(led.admittedScans)); err != nil {
		return err
	}
	for _, n := range led.admittedBy {
		if n > 1 {
			res.PeopleAnsweredTwice++
		}
	}
	regIDs := make([]int64, len(tickets))
	for i, t := range tickets {
		regIDs[i] = t.RegistrationID
	}
	if err := st.DB.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT registration_id) FROM admissions
		WHERE registration_id = ANY($1) AND undone_at IS NULL`, pq.Array(regIDs)).Scan(&res.AdmissionRows, &res.PeopleAdmitted); err != nil {
		return err
	}
	if err := st.DB.GetContext(ctx, &res.DuplicateAdmissions, `SELECT count(*) FROM (SELECT registration_id, day FROM admissions
		WHERE event_id = $1 GROUP BY registration_id, day HAVING count(*) FILTER (WHERE undone_at IS NULL) > 1) d`, eventID); err != nil {
		return err
	}
	res.AckedRegistrations = len(led.registrations)
	return st.DB.GetContext(ctx, &res.RegsFound, `SELECT count(*) FROM registrations WHERE email = ANY($1)`, pq.Array(led.registrations))
}

// Summary is the block `make scale` ends with.
func (r *Result) Summary(instances int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== summary ==\n")
	if r.SingleDoor.OK > 0 {
		fmt.Fprintf(&b, "throughput, one instance directly:      door %.0f scans/s (p99 %.1f ms), registrations %.0f/s (p99 %.1f ms)\n",
			r.SingleDoor.PerSecond, r.SingleDoor.P99, r.SingleReg.PerSecond, r.SingleReg.P99)
	}
	fmt.Fprintf(&b, "throughput, %d instances via HAProxy:    door %.0f scans/s before the kill, %.0f/s over the whole run with the faults (p99 %.1f ms); registrations %.0f/s before, %.0f/s overall (p99 %.1f ms)\n",
		instances, r.SteadyDoor, r.Door.PerSecond, r.Door.P99, r.SteadyReg, r.Reg.PerSecond, r.Reg.P99)
	if r.SingleDoor.PerSecond > 0 {
		fmt.Fprintf(&b, "ratio via HAProxy / one instance:        door %.2f, registrations %.2f (before the kill)\n",
			r.SteadyDoor/r.SingleDoor.PerSecond, r.SteadyReg/max(r.SingleReg.PerSecond, 1e-9))
	}
	fmt.Fprintf(&b, "admissions exactly once:                 %d admission rows for %d people, %d (person, day) twice in the database, %d people answered \"admitted\" twice; %d admitted answers, %d of them with their admission row\n",
		r.AdmissionRows, r.PeopleAdmitted, r.DuplicateAdmissions, r.PeopleAnsweredTwice, r.AdmittedAnswers, r.AdmittedRowsAck)
	fmt.Fprintf(&b, "acknowledged scans in the database:      %d of %d (lost %d); scans retried after a lost connection or 5xx: %d\n",
		r.ScansFound, r.AckedScans, r.AckedScans-r.ScansFound, r.SingleDoor.Retries+r.Door.Retries)
	fmt.Fprintf(&b, "acknowledged registrations in database:  %d of %d (lost %d)\n", r.RegsFound, r.AckedRegistrations, r.AckedRegistrations-r.RegsFound)
	fallbacks := map[string]int{}
	failed := 0
	for _, s := range r.Reports {
		if s.Fallback != "" {
			fallbacks[s.Fallback]++
		}
		if s.Status != http.StatusOK {
			failed++
		}
	}
	fmt.Fprintf(&b, "report staleness (report API every 1 s): %d reads, %d from the replica, %d from the primary (fallbacks %v, failed %d); staleness max %.3f s, mean %.3f s\n",
		len(r.Reports), r.FromReplica, r.FromPrimary, fallbacks, failed, r.MaxStaleness, r.MeanStaleness)
	fmt.Fprintf(&b, "replication (pg_stat_replication):       replay lag max %.3f s, max %.0f bytes of WAL not yet replayed\n", r.MaxReplayLag, r.MaxReplayLagByte)
	if n := r.Door.OK + r.Reg.OK; n > 0 {
		fmt.Fprintf(&b, "WAL written through HAProxy:             %.1f MiB, %.0f bytes per acknowledged scan or registration\n",
			r.WALBytes/(1<<20), r.WALBytes/float64(n))
	}
	if err := r.OK(); err != nil {
		fmt.Fprintf(&b, "RESULT: FAILED: %v\n", err)
	} else {
		fmt.Fprintf(&b, "RESULT: every guarantee held\n")
	}
	return b.String()
}

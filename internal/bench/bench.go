package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/store"
)

// Options configure a run of `attend-bench`.
type Options struct {
	Scenario string // door | rush | report
	// URL of a running server; empty starts one on a fresh database.
	URL string
	// DatabaseURL is the server's database with --url (for seeding and the
	// bare-database comparison), or the server to create a fresh database
	// on without --url; empty without --url means a private cluster.
	DatabaseURL string
	PID         int // the server's process id with --url, for its RSS
	// SecretKey is the master key of the server given by --url, to seal the
	// signing keys of tickets seeded into its database; without --url the
	// server started gets a fresh one.
	SecretKey *secretbox.Key
	Bin       string
	Devices   int
	Rate      float64 // door: scans per second per device; 0 as fast as answered
	// PacedRate is the per-device rate of the door's paced run after the
	// flat-out ones (without Rate); 0 skips it.
	PacedRate float64
	// PGBench runs pgbench first (door, without Rate): the minimal check-in
	// transaction, then the server's statement (not with PGBenchMinimal).
	PGBench, PGBenchMinimal bool
	// Reuse (report, with --url) measures the people already in the
	// database instead of generating --people more.
	Reuse bool
	// Coordinators fetching the report at once (report; default 2).
	Coordinators int
	Clients      int
	Places       int
	Tickets      int
	People       int
	Duration     time.Duration
	Args         []string // the command line, printed as the way to reproduce the run
	Out          io.Writer
	Log          *slog.Logger
}

// Report is the one JSON line a run ends with.
type Report struct {
	Scenario   string         `json:"scenario"`
	Command    string         `json:"command"`
	Machine    string         `json:"machine"`
	Postgres   string         `json:"postgres,omitempty"`
	Concurrent int            `json:"concurrency"`
	Server     *Stats         `json:"server,omitempty"`
	Bare       *Stats         `json:"bare_db,omitempty"`
	Ratio      float64        `json:"ratio,omitempty"`
	RSSPeakMiB float64        `json:"rss_peak_mib,omitempty"`
	RSSEndMiB  float64        `json:"rss_end_mib,omitempty"`
	Extra      map[string]any `json:"extra,omitempty"`
	Notes      []string       `json:"notes,omitempty"`
}

// env is what a scenario runs against.
type env struct {
	url   string
	pid   int
	store *store.Store
	proc  *Proc
	db    *Database
	dir   string
	// postgres is the database server's version, for the report.
	postgres string
	// postmaster is PostgreSQL's main process when it runs on this machine.
	postmaster int
}

// cpuReport says where the CPU of a run went, per answered request and as a
// share of the machine (all CPUs for the run's duration).
func (e *env) cpuReport(a, b cpuSample, st Stats) map[string]any {
	if st.OK == 0 || st.Seconds == 0 {
		return nil
	}
	per := func(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000 / float64(st.OK)) }
	share := func(d time.Duration) float64 { return round2(d.Seconds() / (st.Seconds * float64(runtime.NumCPU()))) }
	out := map[string]any{
		"tool_cpu_ms_per_request": per(b.tool - a.tool), "tool_cpu_share": share(b.tool - a.tool),
	}
	if e.pid > 0 && b.server > a.server {
		out["server_cpu_ms_per_request"], out["server_cpu_share"] = per(b.server-a.server), share(b.server-a.server)
	}
	if e.postmaster > 0 {
		pg := postgresSince(a, b)
		out["postgres_cpu_ms_per_request"], out["postgres_cpu_share"] = per(pg), share(pg)
	}
	if all := b.all - a.all; all > 0 {
		out["machine_busy_share"] = round2(float64(b.busy-a.busy) / float64(all))
	}
	return out
}

func cpuLine(m map[string]any) string {
	if m == nil {
		return "n/a"
	}
	var parts []string
	for _, k := range []string{"server", "postgres", "tool"} {
		if v, ok := m[k+"_cpu_ms_per_request"]; ok {
			parts = append(parts, fmt.Sprintf("%s %v ms (%.0f%% of the machine)", k, v, 100*m[k+"_cpu_share"].(float64)))
		}
	}
	if v, ok := m["machine_busy_share"]; ok {
		parts = append(parts, fmt.Sprintf("machine busy %.0f%% (all processes)", 100*v.(float64)))
	}
	return strings.Join(parts, ", ")
}

func (e *env) close() {
	if e.store != nil {
		e.store.Close()
	}
	if e.proc != nil {
		e.proc.Stop()
	}
	if e.db != nil {
		e.db.Close()
	}
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}

// setup connects to the server named by --url, or starts one on a fresh database.
func setup(ctx context.Context, o *Options, poolSize int) (*env, error) {
	e := &env{url: strings.TrimRight(o.URL, "/"), pid: o.PID}
	dbURL := o.DatabaseURL
	if e.url == "" {
		dir, err := WorkDir("attend-bench-")
		if err != nil {
			return nil, err
		}
		e.dir = dir
		fmt.Fprintf(o.Out, "starting a server on a fresh database (%s)\n", map[bool]string{true: "private PostgreSQL cluster", false: "DATABASE_URL's server"}[dbURL == ""])
		if e.db, err = FreshDatabase(ctx, dbURL, dir, o.Log); err != nil {
			e.close()
			return nil, err
		}
		// The load tool stands in for many phones behind a proxy: the server
		// counts its per-address limits by X-Forwarded-For from it.
		keyFile := filepath.Join(dir, "secret.key")
		if o.SecretKey, err = secretbox.GenerateKeyFile(keyFile); err != nil {
			e.close()
			return nil, err
		}
		if e.proc, err = StartServer(ctx, o.Bin, e.db.URL, filepath.Join(dir, "server.log"), "ATTEND_TRUSTED_PROXIES=127.0.0.1",
			"ATTEND_SECRET_KEY_FILE="+keyFile); err != nil {
			e.close()
			return nil, err
		}
		e.url, e.pid, dbURL = e.proc.URL(), e.proc.PID(), e.db.URL
	} else if dbURL == "" {
		return nil, errors.New("--url needs the server's database too (--database-url or DATABASE_URL) to seed tickets and measure the bare database")
	}
	// No bigger than the server's own pool (ATTEND_DB_MAX_CONNS, 20 by
	// default), so that the bare run is not given more of PostgreSQL.
	st, err := store.Open(ctx, dbURL, min(poolSize, 20))
	if err != nil {
		e.close()
		return nil, err
	}
	if o.SecretKey != nil {
		st.Sealer = secretbox.NewKeyring(o.SecretKey)
	}
	e.store = st
	if err := st.DB.GetContext(ctx, &e.postgres, `SHOW server_version`); err != nil {
		e.postgres = "unknown"
	}
	// The postmaster is the parent of our backend, when PostgreSQL runs here.
	var backend int
	if err := st.DB.GetContext(ctx, &backend, `SELECT pg_backend_pid()`); err == nil {
		e.postmaster = ppid(backend)
	}
	return e, nil
}

// Run runs the scenario and prints its results, ending with one JSON line.
func Run(ctx context.Context, o Options) error {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Bin == "" {
		bin, err := os.Executable()
		if err != nil {
			return err
		}
		o.Bin = bin
	}
	var rep Report
	var err error
	switch o.Scenario {
	case "door":
		rep, err = runDoor(ctx, o)
	case "rush":
		rep, err = runRush(ctx, o)
	case "report":
		rep, err = runReport(ctx, o)
	default:
		return fmt.Errorf("unknown scenario %q (door, rush or report)", o.Scenario)
	}
	if err != nil {
		return err
	}
	rep.Scenario = o.Scenario
	rep.Command = "attend-bench " + strings.Join(o.Args, " ")
	rep.Machine = Machine()
	fmt.Fprintf(o.Out, "machine: %s; PostgreSQL %s\n", rep.Machine, rep.Postgres)
	fmt.Fprintf(o.Out, "reproduce: %s\n", rep.Command)
	b, _ := json.Marshal(rep)
	fmt.Fprintln(o.Out, string(b))
	return nil
}

// Machine describes where the run happened: CPUs, CPU model, memory, load.
func Machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = ", load " + strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%d CPU (%s)%s%s", runtime.NumCPU(), model, mem, load)
}

func mib(b int64) float64 { return round2(float64(b) / (1 << 20)) }

func runDoor(ctx context.Context, o Options) (Report, error) {
	if o.Devices <= 0 {
		o.Devices = 16
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Tickets <= 0 {
		// Enough for the run at a few thousand scans a second, so that
		// nearly every scan is a first one (the expensive path).
		o.Tickets = max(5000, int(o.Duration.Seconds()*4000))
	}
	// Without --rate one run measures everything the door's goals name:
	// pgbench's check-in transaction, the server and the bare statement as
	// fast as answered, then the server at the paced rate.
	full := o.Rate <= 0
	paced := 0
	if full && o.PacedRate > 0 {
		paced = int(o.PacedRate*float64(o.Devices)*o.Duration.Seconds()*1.1) + 100
	}
	pgbN := 0
	if full && o.PGBench {
		// pgbench runs faster than the server: enough tickets that each of its
		// scans is a first one too (it counts them).
		pgbN = max(5000, int(o.Duration.Seconds()*7000))
	}
	e, err := setup(ctx, &o, o.Devices+4)
	if err != nil {
		return Report{}, err
	}
	defer e.close()
	const warmN = 500
	total := 2*o.Tickets + warmN + paced + pgbN
	fmt.Fprintf(o.Out, "seeding %d tickets for %s and %d door devices\n", total, DoorEvent, o.Devices)
	ev, tickets, err := SeedTickets(ctx, e.store, DoorEvent, total)
	if err != nil {
		return Report{}, err
	}
	tokens, err := AddDevices(ctx, e.store, ev.ID, o.Devices, e.url)
	if err != nil {
		return Report{}, err
	}
	serverTickets, bareTickets := tickets[:o.Tickets], tickets[o.Tickets:2*o.Tickets]
	warmup := tickets[2*o.Tickets : 2*o.Tickets+warmN]
	pacedTickets := tickets[2*o.Tickets+warmN : 2*o.Tickets+warmN+paced]
	pgbTickets := tickets[2*o.Tickets+warmN+paced:]

	const dup, forged = 0.05, 0.01
	rep := Report{Concurrent: o.Devices, Postgres: e.postgres, Extra: map[string]any{"tickets_per_run": o.Tickets, "repeat_share": dup, "forged_share": forged}}
	if o.Rate > 0 {
		rep.Extra["rate_per_device"] = o.Rate
		rep.Notes = append(rep.Notes, "paced run: both sides scan at the same rate, so the ratio says nothing; compare the latencies")
	}
	fmt.Fprintf(o.Out, "load before the runs: %s\n", loadAvg())

	// A short warm-up, so that neither run pays for cold caches and fresh connections.
	DoorLoad{URL: e.url, Tokens: tokens, Tickets: warmup, Duration: time.Second}.Run(ctx)
	BareDoor{Store: e.store, EventID: ev.ID, Tokens: tokens, Tickets: warmup, Duration: time.Second, DupRate: 1}.Run(ctx)

	// pgbench first: the minimal check-in transaction (the goal is set
	// against it), then the server's own statement (unless only the minimal
	// one is asked for).
	var pgbMin, pgb PGBenchResult
	if pgbN > 0 {
		ids := make([]int64, len(pgbTickets))
		for i, t := range pgbTickets {
			ids[i] = t.ID
		}
		dbURL := o.DatabaseURL
		if e.db != nil {
			dbURL = e.db.URL
		}
		owner, err := e.store.TokenOwner(ctx, e.store.DB, auth.Hash(tokens[0]))
		if err != nil || owner.DeviceID == nil {
			return Report{}, fmt.Errorf("pgbench device: %v", err)
		}
		for _, minimal := range []bool{true, false} {
			if !minimal && o.PGBenchMinimal {
				break
			}
			what, key := "the minimal check-in transaction (UPDATE a ticket by its code, INSERT a scan row; BEGIN, two statements, END)", "pgbench_minimal"
			if !minimal {
				what, key = "the server's statement (SELECT door_scan(...), each its own transaction, one device's token)", "pgbench"
			}
			fmt.Fprintf(o.Out, "pgbench: %s, %d clients for %v\n", what, o.Devices, o.Duration)
			fmt.Fprintf(o.Out, "  settled: %s\n", settle(ctx, e.store.DB))
			meter := cpuMeter{postmasterPID: e.postmaster}
			c0 := meter.sample()
			res, err := PGBench{DatabaseURL: dbURL, EventID: ev.ID, TicketIDs: ids, Clients: o.Devices, Duration: o.Duration, Dir: e.dir,
				TokenHash: auth.Hash(tokens[0]), DeviceID: *owner.DeviceID, Day: scanDay(ev, time.Now()), Minimal: minimal}.Run(ctx, e.store)
			if err != nil {
				return Report{}, err
			}
			c1 := meter.sample()
			pgbCPU := e.cpuReport(c0, c1, Stats{OK: int(res.Transactions), Seconds: o.Duration.Seconds()})
			rep.Extra[key], rep.Extra["cpu_"+key+"_run"] = res, pgbCPU
			first := ""
			if !minimal {
				first = fmt.Sprintf(", first scans %d", res.Admitted)
			}
			fmt.Fprintf(o.Out, "  pgbench: %d transactions = %.0f/s, latency average %.2f ms, failed %d%s\n", res.Transactions, res.TPS, res.LatencyMS, res.Failed, first)
			fmt.Fprintf(o.Out, "           CPU per transaction: %s (the tool's share is pgbench's)\n", cpuLine(pgbCPU))
			if minimal {
				pgbMin = res
			} else {
				pgb = res
			}
		}
	}

	pace := "each as fast as answered"
	if o.Rate > 0 {
		pace = fmt.Sprintf("each %.1f scans/s", o.Rate)
	}
	fmt.Fprintf(o.Out, "server: %d devices (%s) for %v against %s\n", o.Devices, pace, o.Duration, e.url)
	fmt.Fprintf(o.Out, "  settled: %s\n", settle(ctx, e.store.DB))
	var rss *rssSampler
	if e.pid > 0 {
		rss = sampleRSS(e.pid, 200*time.Millisecond)
	}
	meter := cpuMeter{serverPID: e.pid, postmasterPID: e.postmaster}
	c0 := meter.sample()
	srv, wrapped := DoorLoad{URL: e.url, Tokens: tokens, Tickets: serverTickets, Duration: o.Duration, DupRate: dup, ForgeRate: forged, Rate: o.Rate}.Run(ctx)
	c1 := meter.sample()
	cpuSrv := e.cpuReport(c0, c1, srv)
	rep.Extra["cpu_server_run"] = cpuSrv
	if wrapped {
		rep.Notes = append(rep.Notes, "server run used up its tickets and scanned some again; raise --tickets")
	}
	fmt.Fprintf(o.Out, "  server:  %s\n", srv)
	fmt.Fprintf(o.Out, "           CPU per scan: %s\n", cpuLine(cpuSrv))

	fmt.Fprintf(o.Out, "bare database: the same statement per scan, %d connections for %v\n", o.Devices, o.Duration)
	fmt.Fprintf(o.Out, "  settled: %s\n", settle(ctx, e.store.DB))
	b0 := meter.sample()
	bare, wrapped := BareDoor{Store: e.store, EventID: ev.ID, Tokens: tokens, Tickets: bareTickets, Duration: o.Duration,
		DupRate: dup, ForgeRate: forged, Rate: o.Rate}.Run(ctx)
	if wrapped {
		rep.Notes = append(rep.Notes, "bare run used up its tickets and scanned some again; raise --tickets")
	}
	b1 := meter.sample()
	cpuBare := e.cpuReport(b0, b1, bare)
	rep.Extra["cpu_bare_run"] = cpuBare
	fmt.Fprintf(o.Out, "  bare db: %s\n", bare)
	fmt.Fprintf(o.Out, "           CPU per scan: %s\n", cpuLine(cpuBare))
	rep.Server, rep.Bare = &srv, &bare
	if bare.Throughput > 0 {
		rep.Ratio = round2(srv.Throughput / bare.Throughput)
	}

	var pacedStats Stats
	if paced > 0 {
		fmt.Fprintf(o.Out, "server paced: %d devices, each %.0f scans/s, for %v\n", o.Devices, o.PacedRate, o.Duration)
		fmt.Fprintf(o.Out, "  settled: %s\n", settle(ctx, e.store.DB))
		cp0 := checkpoints(ctx, e.store.DB)
		w0, walOK := walStat(ctx, e.store.DB)
		// The disk's sync time beside it: every commit waits for one.
		pctx, stopProbe := context.WithCancel(ctx)
		probed := make(chan DiskSync, 1)
		go func() {
			d, err := probeDisk(pctx, e.dir)
			if err != nil {
				fmt.Fprintf(o.Out, "  disk probe: %v\n", err)
			}
			probed <- d
		}()
		pacedStats, _ = DoorLoad{URL: e.url, Tokens: tokens, Tickets: pacedTickets, Duration: o.Duration, DupRate: dup, ForgeRate: forged, Rate: o.PacedRate}.Run(ctx)
		stopProbe()
		disk := <-probed
		if cp0 >= 0 {
			cps := checkpoints(ctx, e.store.DB) - cp0
			rep.Extra["checkpoints_paced"] = cps
			fmt.Fprintf(o.Out, "  checkpoints during the paced run: %d\n", cps)
		}
		rep.Extra["server_paced"], rep.Extra["paced_rate_per_device"], rep.Extra["disk_sync_paced"] = pacedStats, o.PacedRate, disk
		fmt.Fprintf(o.Out, "  paced:   %s\n", pacedStats)
		if w1, ok := walStat(ctx, e.store.DB); ok && walOK {
			rep.Extra["wal_paced"] = w1.sub(w0)
			fmt.Fprintf(o.Out, "  WAL:     %s\n", w1.sub(w0).per(pacedStats.OK))
		}
		fmt.Fprintf(o.Out, "  p99 by second (ms): %s\n", floats(pacedStats.P99BySecond))
		fmt.Fprintf(o.Out, "  max by second (ms): %s\n", floats(pacedStats.MaxBySecond))
		fmt.Fprintf(o.Out, "  disk:    8 KiB written and fdatasync'd every 5 ms beside it (what each commit waits for): %s\n", disk)
	}
	if rss != nil {
		peak, last := rss.Stop()
		rep.RSSPeakMiB, rep.RSSEndMiB = mib(peak), mib(last)
	}
	fmt.Fprintf(o.Out, "load after the runs: %s\n", loadAvg())

	switch {
	case o.Rate > 0:
		fmt.Fprintf(o.Out, "paced run: p99 server %.2f ms, bare database %.2f ms (the ratio of equal rates says nothing)\n", srv.P99, bare.P99)
	default:
		if pgbMin.TPS > 0 {
			r := round2(srv.Throughput / pgbMin.TPS)
			rep.Extra["ratio_pgbench"] = r
			fmt.Fprintf(o.Out, "ratio server/pgbench check-in: %.2f (%.0f scans/s against %.0f minimal check-in transactions/s; goal >= 0.50)\n", r, srv.Throughput, pgbMin.TPS)
		}
		if pgb.TPS > 0 {
			r := round2(srv.Throughput / pgb.TPS)
			rep.Extra["ratio_pgbench_statement"] = r
			fmt.Fprintf(o.Out, "ratio server/pgbench running the server's statement: %.2f (%.0f scans/s against %.0f transactions/s)\n", r, srv.Throughput, pgb.TPS)
		}
		fmt.Fprintf(o.Out, "ratio server/bare database (same statement): %.2f; server p99 %.2f ms as fast as answered\n", rep.Ratio, srv.P99)
		if paced > 0 {
			disk, _ := rep.Extra["disk_sync_paced"].(DiskSync)
			fmt.Fprintf(o.Out, "p99 at %d devices x %.0f scans/s: %.2f ms (goal <= 15 ms; %.0f scans/s answered; the disk's own sync p99 meanwhile %.2f ms)\n",
				o.Devices, o.PacedRate, pacedStats.P99, pacedStats.Throughput, disk.P99)
		}
	}
	if e.pid > 0 {
		fmt.Fprintf(o.Out, "server RSS: peak %.1f MiB, at the end %.1f MiB (goal < 80 MiB)\n", rep.RSSPeakMiB, rep.RSSEndMiB)
	} else {
		fmt.Fprintln(o.Out, "server RSS: unknown (give --pid with --url)")
	}
	return rep, nil
}

// loadAvg is the machine's load average (1, 5, 15 minutes), as uptime prints it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

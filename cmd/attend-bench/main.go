// Command attend-bench is the load tool: it drives a door, a registration
// rush or the reports against a server and against the bare database with the
// same statements, and prints both. It writes synthetic people, tickets and
// devices into the database it is given, so it is built apart from the
// server (make bench) and never shipped inside attend.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/secretbox"
)

var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "attend-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("attend-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: attend-bench door|rush|report [flags]")
		fmt.Fprintln(stderr, "\nWithout --url a server is started on a fresh database (DATABASE_URL's server, else a private cluster).")
		fmt.Fprintln(stderr, "With --url the tool writes synthetic people, tickets and devices into --database-url: never use a real event's database.")
		fs.PrintDefaults()
	}
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		fs.Usage()
		return errUsage
	}
	scenario := args[0]
	switch scenario {
	case "door", "rush", "report":
	default:
		fs.Usage()
		return fmt.Errorf("%w: unknown scenario %q", errUsage, scenario)
	}
	url := fs.String("url", "", "a running server's base URL (needs --database-url for seeding and the bare-database run)")
	dbURL := fs.String("database-url", "", "the database of the server given by --url (default: DATABASE_URL)")
	pid := fs.Int("pid", 0, "process id of the server given by --url, to report its memory")
	devices := fs.Int("devices", 16, "door: scanning devices, each waiting for its answer")
	rate := fs.Float64("rate", 0, "door: scans per second per device (default: as fast as answered)")
	pacedRate := fs.Float64("paced-rate", 50, "door without --rate: scans per second per device of the paced run after the flat-out ones (0: none)")
	pgbench := fs.Bool("pgbench", true, "door without --rate: run pgbench on the same database first: the minimal check-in transaction, then the server's statement")
	pgbenchMinimal := fs.Bool("pgbench-minimal", false, "with --pgbench: run only the minimal check-in transaction (UPDATE a ticket, INSERT a scan row), not the server's statement")
	clients := fs.Int("clients", 200, "rush: concurrent registering clients")
	places := fs.Int("places", 0, "rush: places of the event (default: a quarter of the registrations)")
	tickets := fs.Int("tickets", 0, "door: valid tickets per run (default: enough for the duration)")
	people := fs.Int("people", 20000, "report: generated registrations over the programme")
	coordinators := fs.Int("coordinators", 2, "report: coordinators fetching the project report at once")
	reuse := fs.Bool("reuse", false, "report with --url: measure the registrations already in the database, generate none")
	duration := fs.Duration("duration", 10*time.Second, "how long each run lasts")
	verbose := fs.Bool("v", false, "log the server's warnings and errors")
	attendBin := fs.String("attend", "", "the attend binary the tool starts when there is no --url (default: attend beside this tool, else on PATH)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected %q", errUsage, fs.Arg(0))
	}
	db := *dbURL
	if db == "" {
		db = getenv("DATABASE_URL")
	}
	shown := []string{scenario}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "database-url" || f.Name == "pid" {
			return // a password or a process id is no part of the recipe
		}
		shown = append(shown, "--"+f.Name, f.Value.String())
	})
	// The master key of the server given by --url, to seal the tickets' keys
	// the tool seeds (a server it starts makes its own).
	var key *secretbox.Key
	if f := getenv("ATTEND_SECRET_KEY_FILE"); f != "" {
		var err error
		if key, err = secretbox.LoadKeyFile(f); err != nil {
			return fmt.Errorf("ATTEND_SECRET_KEY_FILE: %w", err)
		}
	}
	serverBin := ""
	if *url == "" {
		var err error
		if serverBin, err = findAttend(*attendBin); err != nil {
			return err
		}
	}
	log := slog.New(slog.DiscardHandler)
	if *verbose {
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return bench.Run(ctx, bench.Options{
		Scenario: scenario, URL: *url, DatabaseURL: db, PID: *pid, Devices: *devices, Rate: *rate, PacedRate: *pacedRate, PGBench: *pgbench, PGBenchMinimal: *pgbenchMinimal, Reuse: *reuse, Coordinators: *coordinators, Clients: *clients,
		Places: *places, Tickets: *tickets, People: *people, Duration: *duration, Args: shown,
		Bin: serverBin, SecretKey: key, Out: stdout, Log: log,
	})
}

// findAttend is the server binary to start: the one named, else attend in the
// tool's own directory (make bench builds both into bin/), else on PATH.
func findAttend(named string) (string, error) {
	if named != "" {
		return named, nil
	}
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), "attend"); fileExists(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("attend"); err == nil {
		return p, nil
	}
	return "", errors.New("no attend binary to start: build it (make build, or make bench builds both) or name it with --attend")
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/decode-attend/attend/internal/bench"
)

func runBench(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "Usage: attend bench door|rush|report [flags]")
		fmt.Fprintln(env.stderr, "\nWithout --url a server is started on a fresh database (DATABASE_URL's server, else a private cluster).")
		fmt.Fprintln(env.stderr, "With --url the tool writes synthetic people, tickets and devices into --database-url: never use a real event's database.")
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
	clients := fs.Int("clients", 200, "rush: concurrent registering clients")
	places := fs.Int("places", 0, "rush: places of the event (default: a quarter of the registrations)")
	tickets := fs.Int("tickets", 0, "door: valid tickets per run (default: enough for the duration)")
	people := fs.Int("people", 20000, "report: generated registrations over the programme")
	duration := fs.Duration("duration", 10*time.Second, "how long each run lasts")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected %q", errUsage, fs.Arg(0))
	}
	db := *dbURL
	if db == "" {
		db = env.getenv("DATABASE_URL")
	}
	var shown []string
	shown = append(shown, scenario)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "database-url" || f.Name == "pid" {
			return // a password or a process id is no part of the recipe
		}
		shown = append(shown, "--"+f.Name, f.Value.String())
	})
	cfg, log, err := loadConfig(env)
	if err != nil {
		return err
	}
	return bench.Run(ctx, bench.Options{
		Scenario: scenario, URL: *url, DatabaseURL: db, PID: *pid, Devices: *devices, Rate: *rate, Clients: *clients,
		Places: *places, Tickets: *tickets, People: *people, Duration: *duration, Args: shown,
		SecretKey: cfg.SecretKey, Out: env.stdout, Log: log,
	})
}

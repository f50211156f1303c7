// Command attend is DeCoDe Attend: event registration, door check-in and
// funder reports. main only parses the subcommand and runs it; the wiring of
// each command lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// commands is the CLI's command table; `attend --help` prints it.
func commands() []command {
	return []command{
		{"serve", "run the web server (default); --demo loads the demo programme", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"report", "funder report of an event or project: --event SLUG | --project CODE --format text|json|csv|xlsx|pdf|pack", runReport},
		{"device", "door devices: add --event SLUG --name NAME [--json], list --event SLUG, revoke ID", runDevice},
		{"privacy", "privacy: export --email E, erase --email E --yes, anonymize --project CODE --yes, retention", runPrivacy},
		{"user", "staff accounts: add --email E --name N --role R [--partner NAME] [--event SLUG], list, password", runUser},
		{"token", "API tokens: add --user EMAIL --scope report|admin (token on the first line), revoke ID, list", runToken},
		{"import", "import people and attendance: --event SLUG --file PEOPLE.csv|PEOPLE.xlsx [--dry-run] [--json] [--send-tickets]", runImport},
		{"event", "events: list, set SLUG [--capacity N|none] [--registration open|closed|auto]", runEvent},
		{"certificates", "attendance certificates: send --event SLUG [--dry-run] (to attendees, once each)", runCertificates},
		{"keys", "keys: rotate --event SLUG (new ticket signing key), rewrap --old-key-file F (new master key)", runKeys},
		{"version", "print the version", runVersion},
	}
}

// cliEnv is what every command gets: its streams and the environment.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// errUsage marks a wrong invocation (exit code 2).
var errUsage = errors.New("usage")

func run(ctx context.Context, env *cliEnv, args []string) int {
	name := "serve"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		usage(env.stdout)
		return 0
	}
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, env, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(env.stderr, "attend %s: %v\n", name, err)
			return 2
		default:
			fmt.Fprintf(env.stderr, "attend: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(env.stderr, "attend: unknown command %q (see attend --help)\n", name)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "DeCoDe Attend: event registration, QR check-in and funder reports.")
	fmt.Fprintln(w, "\nUsage: attend [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from the environment (DATABASE_URL, ATTEND_ADDR, ...); see README.md.")
	fmt.Fprintln(w, "Run 'attend COMMAND --help' for a command's flags.")
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"sync"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

const privacyUsage = `usage: attend privacy export --email E            everything held about a person (JSON on stdout)
       attend privacy erase --email E --yes        erase a person from every event (counts kept)
       attend privacy anonymize --project CODE --yes   anonymise a project now (what retention does)
       attend privacy retention                    run the retention job once, now`

// runPrivacy is the privacy CLI: access export, erasure, anonymisation and
// the retention job on demand. Each action is audited with actor "cli".
func runPrivacy(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.stderr, privacyUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("privacy "+sub, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	email := fs.String("email", "", "the person's e-mail address")
	project := fs.String("project", "", "project code, e.g. decode")
	yes := fs.Bool("yes", false, "confirm an irreversible action")
	lang := fs.String("lang", "en", "language of the export's handling notice")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch sub {
	case "export", "erase":
		if *email == "" {
			return fmt.Errorf("%w: --email is required", errUsage)
		}
	case "anonymize", "anonymise":
		if *project == "" {
			return fmt.Errorf("%w: --project is required", errUsage)
		}
	case "retention":
	default:
		fmt.Fprintln(env.stderr, privacyUsage)
		return fmt.Errorf("%w: unknown subcommand %q", errUsage, sub)
	}
	if (sub == "erase" || sub == "anonymize" || sub == "anonymise") && !*yes {
		what := "erases the person's personal data from every event"
		if sub != "erase" {
			what = "anonymises every registration of the project"
		}
		return fmt.Errorf("%w: this %s and cannot be undone; run again with --yes to confirm", errUsage, what)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Privacy
	cli := privacy.Actor{Label: "cli"}
	switch sub {
	case "export":
		x, err := svc.ExportPerson(ctx, privacy.ExportRequest{Email: *email, Format: "json", Channel: "cli", Lang: *lang}, cli)
		if err != nil {
			return cliErr(err)
		}
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	case "erase":
		res, err := svc.Erase(ctx, *email, cli)
		if errors.Is(err, privacy.ErrNothingHeld) {
			return errors.New("no registration or message with this address")
		}
		if err != nil {
			return cliErr(err)
		}
		fmt.Fprintf(env.stdout, "erased: %d registrations in %d events (%d cancelled, %d withdrawn from the waiting list, "+
			"%d attendance records kept without identity, %d waiting given the freed seats); confirmation e-mail queued: %v\n",
			res.Registrations, res.Events, res.Cancelled, res.Withdrawn, res.Kept, res.Promoted, res.MessageID != 0)
	case "anonymize", "anonymise":
		c, err := svc.AnonymiseProject(ctx, *project, cli)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no project %q", *project)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "project %s anonymised: %d registrations, %d tickets, %d signatures, %d messages, %d scans\n",
			*project, c.Registrations, c.Tickets, c.Signatures, c.Messages, c.Scans)
	case "retention":
		run, err := svc.RunRetention(ctx, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "retention: %d projects anonymised, %d registrations lost their needs, %d erasure confirmations blanked\n",
			len(run.Projects), run.NeedsPurged, run.MailsScrubbed)
	}
	return nil
}

// cliErr turns a validation error into a one-line message.
func cliErr(err error) error {
	if inv, ok := apperr.AsInvalid(err); ok {
		if _, bad := inv.Fields["email"]; bad {
			return fmt.Errorf("%w: --email is not a valid e-mail address", errUsage)
		}
	}
	return err
}

// startRetention runs the privacy retention job hourly; job_runs makes the
// work happen once a day whatever the number of instances.
func startRetention(ctx context.Context, a *app, wg *sync.WaitGroup) {
	svc := a.svc.Privacy
	wg.Add(1)
	go func() {
		defer wg.Done()
		// The first run waits a minute so that start-up (or a short-lived
		// instance) is not slowed by it; the claim keeps it daily anyway.
		svc.Worker(ctx, a.log, time.Minute, time.Hour)
	}()
}

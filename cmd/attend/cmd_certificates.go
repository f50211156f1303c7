package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/certificates"
)

func runCertificates(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "send" {
		return fmt.Errorf("%w: attend certificates send --event SLUG [--dry-run]", errUsage)
	}
	fs := flag.NewFlagSet("certificates send", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("event", "", "the event's slug (see attend event list)")
	dry := fs.Bool("dry-run", false, "count, issue and send nothing")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *slug == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: attend certificates send --event SLUG [--dry-run]", errUsage)
	}
	a, err := openAppWith(ctx, env, openOptions{migrate: true, requireKey: true})
	if err != nil {
		return err
	}
	defer a.close()
	res, err := a.svc.Certificates.Send(ctx, *slug, certificates.SendOptions{DryRun: *dry, Label: "cli"})
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		return fmt.Errorf("no event %q (see attend event list)", *slug)
	case errors.Is(err, certificates.ErrNotOver):
		return fmt.Errorf("%s is not over yet: certificates are sent after its last day", *slug)
	case err != nil:
		return err
	}
	mode := ""
	if res.DryRun {
		mode = " (dry run: nothing issued or sent)"
	}
	fmt.Fprintf(env.stdout, "certificates for %s%s\n", res.Event, mode)
	fmt.Fprintf(env.stdout, "attendees:           %d\n", res.Attendees)
	fmt.Fprintf(env.stdout, "issued:              %d\n", res.Issued)
	fmt.Fprintf(env.stdout, "e-mailed:            %d\n", res.Mailed)
	fmt.Fprintf(env.stdout, "without an address:  %d\n", res.NoAddress)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"
)

func runEvent(ctx context.Context, env *cliEnv, args []string) error {
	return dispatch(ctx, env, "event", []subcommand{
		{"list", "", eventList},
		{"set", "SLUG [--capacity N|none] [--registration open|closed|auto]", eventSet},
	}, args)
}

func eventList(ctx context.Context, env *cliEnv, _ []string) error {
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	evs, err := a.store.Events(ctx, a.store.DB)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tFIRST DAY\tLAST DAY\tCAPACITY\tCONFIRMED\tREGISTRATION\tSTATE")
	for _, e := range evs {
		capacity := "none"
		if e.Capacity != nil {
			capacity = strconv.Itoa(*e.Capacity)
		}
		state := "closed"
		if e.RegistrationOpen(now) {
			state = "open"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", e.Slug, e.FirstDay.Format(time.DateOnly), e.LastDay.Format(time.DateOnly),
			capacity, e.ConfirmedCount, e.RegistrationState, state)
	}
	return tw.Flush()
}

func eventSet(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return fmt.Errorf("%w: attend event set SLUG [--capacity N|none] [--registration open|closed|auto]", errUsage)
	}
	slug := args[0]
	fs := flag.NewFlagSet("event set", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	capFlag := fs.String("capacity", "", "places (none: unlimited)")
	reg := fs.String("registration", "", "open, closed or auto (follow the registration window)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *capFlag == "" && *reg == "" {
		return fmt.Errorf("%w: give --capacity and/or --registration", errUsage)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	e, err := a.store.EventBySlug(ctx, a.store.DB, slug)
	if err != nil {
		return fmt.Errorf("no event %q (see attend event list)", slug)
	}
	capacity, state := e.Capacity, e.RegistrationState
	switch *capFlag {
	case "":
	case "none":
		capacity = nil
	default:
		n, err := strconv.Atoi(*capFlag)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: --capacity is a whole number or none", errUsage)
		}
		capacity = &n
	}
	if *reg != "" {
		state = *reg
	}
	// More places go to the waiting list first, with their tickets by e-mail.
	if err := a.svc.Programme.SetRegistration(ctx, nil, e.ID, capacity, state, ""); err != nil {
		return cliError(err)
	}
	c := "none"
	if capacity != nil {
		c = strconv.Itoa(*capacity)
	}
	fmt.Fprintf(env.stdout, "%s: capacity %s, registration %s\n", slug, c, state)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
)

func runToken(ctx context.Context, env *cliEnv, args []string) error {
	return dispatch(ctx, env, "token", []subcommand{
		{"add", "--user EMAIL --scope report|admin|scan[,...] [--label TEXT]", tokenAdd},
		{"revoke", "TOKEN-ID", tokenRevoke},
		{"list", "", tokenList},
	}, args)
}

func tokenAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("token add", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	email := fs.String("user", "", "e-mail of the user the token acts for")
	scope := fs.String("scope", "", "report, admin or scan (several separated by commas)")
	label := fs.String("label", "", "what the token is for")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *email == "" || *scope == "" {
		return fmt.Errorf("%w: --user and --scope are required", errUsage)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Accounts
	u, err := a.store.UserByEmail(ctx, a.store.DB, *email)
	if err != nil {
		return fmt.Errorf("--user: no user %q", *email)
	}
	tok, err := svc.CreateToken(ctx, nil, u.ID, strings.Split(*scope, ","), *label, "")
	if err != nil {
		return cliError(err)
	}
	// The token alone on the first line, for scripts: TOKEN=$(attend token add ... | head -1).
	fmt.Fprintln(env.stdout, tok.Plain)
	fmt.Fprintf(env.stdout, "token id %d for user %d (%s); shown only now\n", tok.ID, u.ID, *scope)
	return nil
}

func tokenRevoke(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: attend token revoke TOKEN-ID", errUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: TOKEN-ID is a number (see attend token list)", errUsage)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Accounts
	if err := svc.RevokeToken(ctx, nil, id, ""); err != nil {
		return fmt.Errorf("token %d: not found or already revoked", id)
	}
	fmt.Fprintf(env.stdout, "token %d revoked\n", id)
	return nil
}

func tokenList(ctx context.Context, env *cliEnv, args []string) error {
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	ts, err := a.store.TokenViews(ctx, a.store.DB, 0)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tOWNER\tSCOPES\tLABEL\tSTATE")
	for _, t := range ts {
		state := "live"
		if t.RevokedAt != nil {
			state = "revoked"
		}
		owner := t.OwnerEmail
		if t.DeviceID != nil {
			owner = "device:" + t.OwnerName
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, owner, strings.Join(t.Scopes, ","), t.Label, state)
	}
	return tw.Flush()
}

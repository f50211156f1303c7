package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/tickets"
)

func runKeys(ctx context.Context, env *cliEnv, args []string) error {
	return dispatch(ctx, env, "keys", []subcommand{
		{"rotate", "--event SLUG", keysRotate},
		{"rewrap", "--old-key-file FILE", keysRewrap},
	}, args)
}

// keysRotate gives an event a new ticket signing key and prints its key id.
func keysRotate(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("event", "", "the event's slug (see attend event list)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *slug == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: attend keys rotate --event SLUG", errUsage)
	}
	a, err := openAppWith(ctx, env, openOptions{migrate: true, requireKey: true})
	if err != nil {
		return err
	}
	defer a.close()
	ev, err := a.store.EventBySlug(ctx, a.store.DB, *slug)
	if err != nil {
		return fmt.Errorf("no event %q (see attend event list)", *slug)
	}
	k, err := tickets.New(a.store).Rotate(ctx, ev.ID, nil, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, k.KID)
	fmt.Fprintf(env.stderr, "%s: new tickets are signed with key %s; tickets issued before stay valid\n", ev.Slug, k.KID)
	return nil
}

// keysRewrap re-seals every stored secret with ATTEND_SECRET_KEY_FILE's key,
// opening those sealed with the old one; all or nothing.
func keysRewrap(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("keys rewrap", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	oldFile := fs.String("old-key-file", "", "the former master key file (ATTEND_SECRET_KEY_FILE names the new one)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *oldFile == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: attend keys rewrap --old-key-file FILE", errUsage)
	}
	old, err := secretbox.LoadKeyFile(*oldFile)
	if err != nil {
		return fmt.Errorf("--old-key-file: %w", err)
	}
	a, err := openAppWith(ctx, env, openOptions{migrate: true, requireKey: true, oldKeys: []*secretbox.Key{old}})
	if err != nil {
		return err
	}
	defer a.close()
	var n int
	err = a.store.InTx(ctx, func(tx *sqlx.Tx) error {
		if n, err = a.store.Rewrap(ctx, tx); err != nil {
			return err
		}
		return audit.Log(ctx, a.store, tx, audit.Entry{ActorLabel: "cli", Action: "secrets.rewrap",
			Details: map[string]any{"secrets": n, "from_key_id": old.ID(), "key_id": a.store.Sealer.ID()}})
	})
	if err != nil {
		return fmt.Errorf("rewrap: %w (nothing was changed)", err)
	}
	fmt.Fprintf(env.stdout, "re-sealed %d secrets with master key %s\n", n, a.store.Sealer.ID())
	return nil
}

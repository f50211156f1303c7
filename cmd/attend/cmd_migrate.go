package main

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	pending, err := a.store.SchemaStatus(ctx, a.migrations)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "schema is current: %d migrations, %d pending\n", len(a.migrations), pending)
	return nil
}

package main

import (
	"context"
	"fmt"
	"strings"
)

// subcommand is one verb of a command group ("attend token add") with its
// usage line.
type subcommand struct {
	name  string
	usage string // the arguments after "attend GROUP NAME"
	run   func(context.Context, *cliEnv, []string) error
}

// dispatch runs the verb args[0] names with the rest of args; without a verb,
// or with one the group does not know, it prints the group's usage.
func dispatch(ctx context.Context, env *cliEnv, group string, subs []subcommand, args []string) error {
	if len(args) > 0 {
		for _, s := range subs {
			if s.name == args[0] {
				return s.run(ctx, env, args[1:])
			}
		}
	}
	for i, s := range subs {
		lead := "       "
		if i == 0 {
			lead = "usage: "
		}
		fmt.Fprintln(env.stderr, strings.TrimRight(lead+"attend "+group+" "+s.name+" "+s.usage, " "))
	}
	if len(args) == 0 {
		return errUsage
	}
	return fmt.Errorf("%w: unknown subcommand %q", errUsage, args[0])
}

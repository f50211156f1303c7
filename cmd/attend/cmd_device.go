package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// runDevice manages door devices: add (prints the token, then the pairing
// URL), list and revoke.
func runDevice(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.stderr, "usage: attend device add --event SLUG --name NAME [--json] | list --event SLUG | revoke ID")
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("device "+sub, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("event", "", "event slug")
	name := fs.String("name", "", "device name, e.g. \"Door 1\"")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch sub {
	case "add", "list":
		if *slug == "" {
			return fmt.Errorf("%w: --event is required", errUsage)
		}
		if sub == "add" && *name == "" {
			return fmt.Errorf("%w: --name is required", errUsage)
		}
	case "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("%w: device revoke takes one device ID", errUsage)
		}
	default:
		return fmt.Errorf("%w: unknown subcommand %q (add, list, revoke)", errUsage, sub)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Checkin
	switch sub {
	case "add":
		ev, err := deviceEvent(ctx, a.store, *slug)
		if err != nil {
			return err
		}
		p, err := svc.AddDevice(ctx, nil, ev.ID, *name, a.cfg.BaseURL)
		if inv, ok := apperr.AsInvalid(err); ok {
			if inv.Fields["name"] == "door.error.device_taken" {
				return fmt.Errorf("event %s already has a device named %q", *slug, *name)
			}
			return fmt.Errorf("--name: give a name of 1 to 60 characters")
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(env.stdout).Encode(map[string]any{
				"token": p.Token, "pairing_url": p.URL, "device_id": p.Device.ID, "event": ev.Slug, "name": p.Device.Name,
			})
		}
		fmt.Fprintln(env.stdout, p.Token)
		fmt.Fprintln(env.stdout, p.URL)
		return nil
	case "list":
		ev, err := deviceEvent(ctx, a.store, *slug)
		if err != nil {
			return err
		}
		ds, err := a.store.Devices(ctx, a.store.DB, ev.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			type row struct {
				ID         int64      `json:"id"`
				Name       string     `json:"name"`
				CreatedAt  time.Time  `json:"created_at"`
				LastSeenAt *time.Time `json:"last_seen_at"`
				RevokedAt  *time.Time `json:"revoked_at"`
				Scans      int        `json:"scans"`
			}
			out := make([]row, 0, len(ds))
			for _, d := range ds {
				out = append(out, row{d.ID, d.Name, d.CreatedAt, d.LastSeenAt, d.RevokedAt, d.Scans})
			}
			return json.NewEncoder(env.stdout).Encode(out)
		}
		w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tLAST SEEN\tSCANS\tSTATE")
		for _, d := range ds {
			seen, state := "never", "active"
			if d.LastSeenAt != nil {
				seen = d.LastSeenAt.Local().Format("2006-01-02 15:04")
			}
			if d.RevokedAt != nil {
				state = "revoked " + d.RevokedAt.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\n", d.ID, d.Name, seen, d.Scans, state)
		}
		return w.Flush()
	default: // revoke
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%w: %q is not a device ID", errUsage, fs.Arg(0))
		}
		d, err := svc.RevokeDevice(ctx, nil, id)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no active device with ID %d", id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "revoked device %d (%s)\n", d.ID, d.Name)
		return nil
	}
}

func deviceEvent(ctx context.Context, st *store.Store, slug string) (store.Event, error) {
	ev, err := st.EventBySlug(ctx, st.DB, slug)
	if errors.Is(err, store.ErrNotFound) {
		return ev, fmt.Errorf("--event: no event %q", slug)
	}
	return ev, err
}

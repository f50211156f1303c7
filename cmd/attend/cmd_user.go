package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

func runUser(ctx context.Context, env *cliEnv, args []string) error {
	return dispatch(ctx, env, "user", []subcommand{
		{"add", "--email E --name N --role admin|coordinator|partner|door [--partner NAME] [--event SLUG] [--project CODE]", userAdd},
		{"list", "", userList},
		{"password", "--email E   (new password on stdin)", userPassword},
	}, args)
}

// readSecret reads a password from stdin when it is not a terminal; "" when
// nothing was given (the caller then generates one).
func readSecret(r io.Reader) (string, error) {
	if f, ok := r.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// findPartner matches a partner by slug, city or organisation, case-insensitively.
func findPartner(ctx context.Context, st *store.Store, name string) (store.Partner, error) {
	projects, err := st.Projects(ctx, st.DB)
	if err != nil {
		return store.Partner{}, err
	}
	var found []store.Partner
	for _, p := range projects {
		ps, err := st.Partners(ctx, st.DB, p.ID)
		if err != nil {
			return store.Partner{}, err
		}
		for _, pt := range ps {
			if strings.EqualFold(pt.Slug, name) || strings.EqualFold(pt.City, name) || strings.EqualFold(pt.Organisation, name) {
				found = append(found, pt)
			}
		}
	}
	switch len(found) {
	case 0:
		return store.Partner{}, fmt.Errorf("--partner: no partner named %q", name)
	case 1:
		return found[0], nil
	}
	return store.Partner{}, fmt.Errorf("--partner: %q matches %d partners; use the partner's slug", name, len(found))
}

func userAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	email := fs.String("email", "", "e-mail address (sign-in name)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, coordinator, partner or door")
	partner := fs.String("partner", "", "partner (slug, city or organisation) of a partner coordinator")
	event := fs.String("event", "", "event slug door staff (or a partner coordinator) may work")
	project := fs.String("project", "", "project code a coordinator is limited to (default: every project)")
	lang := fs.String("language", "lv", "language of the user's pages and e-mails (lv, en, ru)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *email == "" || *name == "" || *role == "" {
		return fmt.Errorf("%w: --email, --name and --role are required", errUsage)
	}
	password, err := readSecret(env.stdin)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Accounts
	in := account.UserInput{Email: *email, Name: *name, Role: *role, Language: *lang, Password: password}
	if *project != "" {
		p, err := a.store.ProjectByCode(ctx, a.store.DB, *project)
		if err != nil {
			return fmt.Errorf("--project: no project %q", *project)
		}
		in.ProjectID = &p.ID
	}
	if *partner != "" {
		pt, err := findPartner(ctx, a.store, *partner)
		if err != nil {
			return err
		}
		in.PartnerID = &pt.ID
	}
	var ev store.Event
	if *event != "" {
		if ev, err = a.store.EventBySlug(ctx, a.store.DB, *event); err != nil {
			return fmt.Errorf("--event: no event %q", *event)
		}
		if in.ProjectID == nil {
			in.ProjectID = &ev.ProjectID
		}
	}
	u, generated, err := svc.CreateUser(ctx, nil, in, "")
	if err != nil {
		return cliError(err)
	}
	if ev.ID != 0 {
		if err := svc.Grant(ctx, nil, u.ID, ev.ID, nil, nil, ""); err != nil {
			return cliError(err)
		}
	}
	if generated != "" {
		fmt.Fprintf(env.stdout, "password: %s\n", generated)
		fmt.Fprintln(env.stderr, "The password is shown only now; the user can change it under My account.")
	}
	fmt.Fprintf(env.stdout, "user %d created: %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

func userList(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	role := fs.String("role", "", "only this role")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	us, err := a.store.Users(ctx, a.store.DB, store.UserFilter{Role: *role})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATE")
	for _, u := range us {
		state := "active"
		if u.DisabledAt != nil {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, state)
	}
	return tw.Flush()
}

func userPassword(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("user password", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	email := fs.String("email", "", "the user's e-mail")
	if err := fs.Parse(args); err != nil || *email == "" {
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	password, err := readSecret(env.stdin)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	svc := a.svc.Accounts
	u, err := a.store.UserByEmail(ctx, a.store.DB, *email)
	if err != nil {
		return fmt.Errorf("no user %q", *email)
	}
	generated := password == ""
	if generated {
		password = account.GeneratePassword()
	}
	if err := svc.SetPassword(ctx, nil, u.ID, password, ""); err != nil {
		return cliError(err)
	}
	if generated {
		fmt.Fprintf(env.stdout, "password: %s\n", password)
	}
	fmt.Fprintf(env.stdout, "password of user %d set; their sessions ended\n", u.ID)
	return nil
}

// cliError spells out validation errors by field.
func cliError(err error) error {
	if inv, ok := apperr.AsInvalid(err); ok {
		var parts []string
		for f, k := range inv.Fields {
			parts = append(parts, "--"+f+": "+k)
		}
		return fmt.Errorf("%w: %s", errUsage, strings.Join(parts, "; "))
	}
	return err
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/sheetin"
)

// maxImportFile is the largest file attend import reads.
const maxImportFile = 10 << 20

// runImport imports participants and attendance from a CSV or XLSX file into
// an event: all or nothing; every error is printed with its row and column
// and the exit status is then 1.
func runImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("event", "", "event slug")
	file := fs.String("file", "", "the CSV or XLSX file")
	dry := fs.Bool("dry-run", false, "check and count, store nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	send := fs.Bool("send-tickets", false, "e-mail the tickets to newly confirmed people (not for an event that is over)")
	over := fs.Bool("over-capacity", false, "import beyond the capacity, raising it to fit")
	lang := fs.String("language", "en", "language of people whose row names none")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *slug == "" || *file == "" {
		return fmt.Errorf("%w: attend import --event SLUG --file PEOPLE.csv|PEOPLE.xlsx [--dry-run] [--json] [--send-tickets] [--over-capacity]", errUsage)
	}
	st, err := os.Stat(*file)
	if err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	if st.Size() > maxImportFile {
		return fmt.Errorf("--file: %s is larger than 10 MiB", *file)
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	sheet, err := sheetin.Read(b)
	if err != nil {
		return fmt.Errorf("%s: cannot be read (%v); save it as CSV (UTF-8) or XLSX with one header row", *file, err)
	}
	a, err := openApp(ctx, env, true)
	if err != nil {
		return err
	}
	defer a.close()
	sum := sha256.Sum256(b)
	res, err := a.svc.Registration.Import(ctx, nil, *slug, sheet, registration.ImportOptions{
		DryRun: *dry, SendTickets: *send, OverCapacity: *over, FileName: filepath.Base(*file),
		SHA256: hex.EncodeToString(sum[:]), Headers: a.svc.ImportHeaders, Lang: *lang,
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("no event %q", *slug)
	}
	rejected := errors.Is(err, registration.ErrImportRejected)
	if err != nil && !rejected {
		return err
	}
	res.Localize(a.bundle.Localizer("en"))
	if *asJSON {
		if err := json.NewEncoder(env.stdout).Encode(res); err != nil {
			return err
		}
	} else {
		mode := ""
		if res.DryRun {
			mode = " (dry run: nothing stored)"
		}
		fmt.Fprintf(env.stdout, "%s into %s%s\n", res.FileName, res.Event, mode)
		fmt.Fprintf(env.stdout, "rows read:           %d\n", res.Rows)
		fmt.Fprintf(env.stdout, "created:             %d\n", res.Created)
		fmt.Fprintf(env.stdout, "updated:             %d\n", res.Updated)
		fmt.Fprintf(env.stdout, "unchanged:           %d\n", res.Unchanged)
		fmt.Fprintf(env.stdout, "admissions recorded: %d\n", res.Admissions)
		fmt.Fprintf(env.stdout, "tickets e-mailed:    %d\n", res.TicketsSent)
		if res.CapacityRaised != nil {
			fmt.Fprintf(env.stdout, "capacity raised to:  %d\n", *res.CapacityRaised)
		}
		for _, ie := range res.Errors {
			fmt.Fprintln(env.stderr, ie.String())
		}
	}
	if rejected {
		return fmt.Errorf("%d errors in %s; nothing was stored", len(res.Errors), res.FileName)
	}
	return nil
}

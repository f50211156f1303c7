package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// runReport prints or writes a funder report:
//
//	attend report --event SLUG | --project CODE --format text|json|csv|xlsx|pdf [--lang en] [-o FILE]
//	attend report --project CODE --format pack -o FILE.zip
//
// csv and xlsx hold the counts; pdf holds the signed participant lists, whose
// SHA-256 fingerprints are printed and recorded in the audit log.
func runReport(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	event := fs.String("event", "", "event slug (e.g. decode-1-daugavpils)")
	project := fs.String("project", "", "project code (e.g. decode)")
	format := fs.String("format", "text", "text, json, csv, xlsx, pdf, or pack (a ZIP for the final report: --project and -o)")
	lang := fs.String("lang", "en", "language of labels and the publishable text ("+fmt.Sprint(i18n.Languages)+")")
	out := fs.String("o", "", "write to FILE instead of standard output")
	rules := fs.String("rules", "", "check against this rule set code instead of the project's")
	raw := fs.Bool("raw", false, "show age band and gender counts below 5 (recorded in the audit log)")
	data := fs.String("data", "counts", "with csv or xlsx and --event: counts, participants or scans (the full scan log)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if (*event == "") == (*project == "") || fs.NArg() > 0 {
		return fmt.Errorf("%w: give exactly one of --event SLUG or --project CODE", errUsage)
	}
	switch *format {
	case "text", "json", "csv", "xlsx", "pdf":
	case "pack":
		if *project == "" || *out == "" {
			return fmt.Errorf("%w: --format pack needs --project CODE and -o FILE.zip", errUsage)
		}
	default:
		return fmt.Errorf("%w: --format must be text, json, csv, xlsx, pdf or pack", errUsage)
	}
	switch {
	case *data != "counts" && *data != "participants" && *data != "scans":
		return fmt.Errorf("%w: --data must be counts, participants or scans", errUsage)
	case *data != "counts" && (*event == "" || (*format != "csv" && *format != "xlsx")):
		return fmt.Errorf("%w: --data %s needs --event and --format csv or xlsx", errUsage, *data)
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	if !bundle.Supported(*lang) {
		return fmt.Errorf("%w: --lang %q is not one of %v", errUsage, *lang, i18n.Languages)
	}
	a, err := openApp(ctx, env, false)
	if err != nil {
		return err
	}
	defer a.close()

	// A file is written beside its final name and renamed only once the whole
	// report is written: a failure never leaves an empty or partial file, and
	// an earlier copy stays as it was. The file is the owner's only
	// (CreateTemp's 0600): lists and participant exports hold personal data.
	w := env.stdout
	var file *os.File
	if *out != "" {
		if file, err = os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*.tmp"); err != nil {
			return err
		}
		defer func() {
			if file != nil {
				file.Close()
				os.Remove(file.Name())
			}
		}()
		w = file
	}
	bw := bufio.NewWriter(w)
	svc := a.svc.Reports
	o := report.Options{RuleSet: *rules, Raw: *raw}
	l := bundle.Localizer(*lang)
	if *format == "pack" {
		var m report.PackManifest
		if m, err = svc.ExportPack(ctx, bw, l, bundle, *project, report.PackExport{Label: "cli"}); err == nil {
			fmt.Fprintf(env.stderr, "%s: %d files listed in manifest.json with their SHA-256\n", *out, len(m.Files))
		}
	} else if *data == "counts" {
		err = writeReport(ctx, env, a.store, svc, l, bw, *event, *project, *format, o)
	} else {
		err = writeData(ctx, env, a.store, svc, l, bw, *event, *data, report.Format(*format), o)
	}
	if errors.Is(err, store.ErrNotFound) {
		if *event != "" {
			return fmt.Errorf("no event with slug %q", *event)
		}
		return fmt.Errorf("no project with code %q", *project)
	}
	if errors.Is(err, report.ErrUnknownRuleSet) {
		return fmt.Errorf("%w: no rule set with code %q", errUsage, *rules)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if file == nil {
		return nil
	}
	if err := file.Close(); err != nil {
		return err
	}
	if err := os.Rename(file.Name(), *out); err != nil {
		return err
	}
	file = nil
	return nil
}

func writeReport(ctx context.Context, env *cliEnv, st *store.Store, svc *report.Service, l *i18n.Localizer, w io.Writer,
	event, project, format string, o report.Options) error {
	objType, objID := "event", event
	if project != "" {
		objType, objID = "project", project
	}
	if o.Raw {
		if err := audit.Log(ctx, st, st.DB, audit.Entry{ActorLabel: "cli", Action: "export.raw_counts",
			ObjectType: objType, ObjectID: objID, Details: map[string]any{"format": format}}); err != nil {
			return err
		}
	}
	if format == "pdf" {
		return writeListsCLI(ctx, env, st, svc, l, w, event, project, o)
	}
	if event != "" {
		rep, err := svc.Event(ctx, event, o)
		if err != nil {
			return err
		}
		switch format {
		case "text":
			return report.WriteEventText(w, l, rep)
		case "json":
			return writeJSON(w, struct {
				report.EventReport
				Text report.Text `json:"text"`
			}{rep, report.Publishable(l, rep)})
		}
		return report.WriteCounts(w, report.Format(format), l, rep.Counts, rep.Rules, nil)
	}
	rep, err := svc.Project(ctx, project, o)
	if err != nil {
		return err
	}
	switch format {
	case "text":
		return report.WriteProjectText(w, l, rep)
	case "json":
		return writeJSON(w, struct {
			report.ProjectReport
			Text report.Text `json:"text"`
		}{rep, report.PublishableProject(l, rep)})
	}
	return report.WriteCounts(w, report.Format(format), l, rep.Counts, rep.Rules, rep.Events)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeListsCLI writes the signed lists of an event (or of every event of a
// project), prints each list's fingerprint and records them in the audit log.
func writeListsCLI(ctx context.Context, env *cliEnv, st *store.Store, svc *report.Service, l *i18n.Localizer, w io.Writer,
	event, project string, o report.Options) error {
	slugs := []string{event}
	if project != "" {
		p, err := st.ProjectByCode(ctx, st.DB, project)
		if err != nil {
			return err
		}
		evs, err := st.ProjectEvents(ctx, st.DB, p.ID)
		if err != nil {
			return err
		}
		slugs = slugs[:0]
		for _, e := range evs {
			slugs = append(slugs, e.Slug)
		}
	}
	var sets []report.Lists
	prints := map[string]string{}
	for _, slug := range slugs {
		ls, err := svc.EventLists(ctx, slug, o)
		if err != nil {
			return err
		}
		for _, li := range ls.Lists {
			prints[slug+"/"+li.Key] = li.SHA256
			fmt.Fprintf(env.stderr, "%s\t%s\t%d\tSHA-256 %s\n", slug, li.Key, len(li.Rows), li.SHA256)
		}
		sets = append(sets, ls)
	}
	digest, err := report.WriteManyListsPDF(w, l, sets)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "PDF content SHA-256 %s\n", digest)
	objType, objID := "event", event
	if project != "" {
		objType, objID = "project", project
	}
	return audit.Log(ctx, st, st.DB, audit.Entry{ActorLabel: "cli", Action: "export.lists", ObjectType: objType,
		ObjectID: objID, Details: map[string]any{"format": "pdf", "lists": prints, "pdf_sha256": digest}})
}

// writeData exports an event's participants or full scan log, audited as a
// download of personal data; the scan log reports its progress on stderr.
func writeData(ctx context.Context, env *cliEnv, st *store.Store, svc *report.Service, l *i18n.Localizer, w io.Writer,
	event, data string, f report.Format, o report.Options) error {
	if _, err := st.EventBySlug(ctx, st.DB, event); err != nil {
		return err
	}
	var n int
	var err error
	details := map[string]any{"format": string(f)}
	if data == "participants" {
		pe := report.ParticipantExport{Slug: event, Format: f, Raw: o.Raw, RuleSet: o.RuleSet}
		if o.Raw {
			pe.Columns = append(append([]string{}, report.DefaultParticipantColumns...), "age_band", "gender")
		}
		details["raw"] = o.Raw
		n, err = svc.Participants(ctx, w, l, pe)
	} else {
		n, err = svc.Scans(ctx, w, l, event, f, func(done, total int) {
			fmt.Fprintf(env.stderr, "\rscans: %d of %d", done, total)
		})
		fmt.Fprintln(env.stderr)
	}
	if err != nil {
		return err
	}
	details["rows"] = n
	return audit.Log(ctx, st, st.DB, audit.Entry{ActorLabel: "cli", Action: "export." + data, ObjectType: "event",
		ObjectID: event, Details: details})
}

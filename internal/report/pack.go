package report

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pdfdoc"
)

// The final report pack: one ZIP per project for the final report and the
// auditors. Per event: the publishable texts (EN, LV), the counts (XLSX,
// CSV), the signed lists (PDF), the scan log (CSV) and the rule checks
// (JSON); for the project: the programme totals (XLSX, CSV); and a manifest
// (JSON and a readable PDF) naming every file with its SHA-256 and what it
// certifies.
//
// Two packs of the same data built at the same creation time are
// byte-identical: entries are in a fixed order with a fixed time
// (packEntryTime), the report's clock is the creation time, and neither
// the XLSX nor the PDF writer stamps its own time.

// packEntryTime is every ZIP entry's modification time (the creation time
// is in the manifest).
var packEntryTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// PackTextLanguages are the languages of the publishable texts in a pack.
var PackTextLanguages = []string{"en", "lv"}

// PackFile is one file of a pack as the manifest lists it.
type PackFile struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	Bytes     int    `json:"bytes"`
	Certifies string `json:"certifies"`
}

// PackManifest lists a pack's files.
type PackManifest struct {
	Project   string     `json:"project"`
	CreatedAt time.Time  `json:"created_at"`
	Files     []PackFile `json:"files"`
}

// Pack writes the project's final report pack to w, created at createdAt,
// in l's language for the manifest and the tables.
func (s *Service) Pack(ctx context.Context, w io.Writer, l *i18n.Localizer, b *i18n.Bundle, code string, createdAt time.Time) (PackManifest, error) {
	createdAt = createdAt.UTC().Truncate(time.Second)
	ps := *s
	ps.Now = func() time.Time { return createdAt }
	pr, err := ps.Project(ctx, code, Options{})
	if err != nil {
		return PackManifest{}, err
	}
	m := PackManifest{Project: pr.Project.Code, CreatedAt: createdAt}
	var files []packEntry
	add := func(path, certifies string, body []byte) {
		sum := sha256.Sum256(body)
		files = append(files, packEntry{path, body})
		m.Files = append(m.Files, PackFile{Path: path, SHA256: hex.EncodeToString(sum[:]), Bytes: len(body), Certifies: l.T(certifies)})
	}
	for _, er := range pr.Events {
		dir := fmt.Sprintf("events/%02d-%s/", er.Event.Number, er.Event.Slug)
		for _, lang := range PackTextLanguages {
			t := Publishable(b.Localizer(lang), er)
			add(dir+"text-"+lang+".txt", "pack.certifies.text", []byte(t.Plain+"\n"))
		}
		for _, f := range []Format{XLSX, CSV} {
			var buf bytes.Buffer
			if err := WriteCounts(&buf, f, l, er.Counts, er.Rules, nil); err != nil {
				return m, err
			}
			add(dir+"counts."+string(f), "pack.certifies.counts", buf.Bytes())
		}
		ls, err := ps.EventLists(ctx, er.Event.Slug, Options{})
		if err != nil {
			return m, err
		}
		var pdf bytes.Buffer
		if _, err := WriteListsPDF(&pdf, l, ls, ls.Lists); err != nil {
			return m, err
		}
		add(dir+"signed-lists.pdf", "pack.certifies.lists", pdf.Bytes())
		var scans bytes.Buffer
		if _, err := ps.Scans(ctx, &scans, l, er.Event.Slug, CSV, nil); err != nil {
			return m, err
		}
		add(dir+"scan-log.csv", "pack.certifies.scans", scans.Bytes())
		rules, err := json.MarshalIndent(er.Rules, "", "  ")
		if err != nil {
			return m, err
		}
		add(dir+"rule-checks.json", "pack.certifies.rules", append(rules, '\n'))
	}
	for _, f := range []Format{XLSX, CSV} {
		var buf bytes.Buffer
		if err := WriteCounts(&buf, f, l, pr.Counts, pr.Rules, pr.Events); err != nil {
			return m, err
		}
		add("project/totals."+string(f), "pack.certifies.totals", buf.Bytes())
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	mpdf, err := manifestPDF(l, m)
	if err != nil {
		return m, err
	}
	zw := zip.NewWriter(w)
	for _, f := range append([]packEntry{{"manifest.json", append(mj, '\n')}, {"manifest.pdf", mpdf}}, files...) {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.path, Method: zip.Deflate, Modified: packEntryTime})
		if err != nil {
			return m, err
		}
		if _, err := fw.Write(f.body); err != nil {
			return m, err
		}
	}
	return m, zw.Close()
}

type packEntry struct {
	path string
	body []byte
}

// manifestPDF is the manifest as a page a person can read and sign off.
func manifestPDF(l *i18n.Localizer, m PackManifest) ([]byte, error) {
	d, err := pdfdoc.New(pdfdoc.A4)
	if err != nil {
		return nil, err
	}
	d.SetInfo(l.T("pack.manifest.title"), "DeCoDe Attend")
	if err := d.SetFont(pdfdoc.Bold, 16); err != nil {
		return nil, err
	}
	if err := d.Paragraph(l.T("pack.manifest.title")+" · "+m.Project, pdfdoc.Left); err != nil {
		return nil, err
	}
	if err := d.SetFont(pdfdoc.Regular, 10); err != nil {
		return nil, err
	}
	if err := d.Paragraph(l.T("pack.manifest.created", "date", l.DateTime(m.CreatedAt)), pdfdoc.Left); err != nil {
		return nil, err
	}
	t := pdfdoc.Table{FontSize: 8, Columns: []pdfdoc.Column{{Title: l.T("pack.manifest.file"), Width: 150}, {Title: l.T("pack.manifest.certifies")},
		{Title: "SHA-256", Width: 170}}}
	for _, f := range m.Files {
		t.Rows = append(t.Rows, []string{f.Path, f.Certifies, f.SHA256[:32] + "\n" + f.SHA256[32:]})
	}
	if err := d.SetFont(pdfdoc.Regular, 8); err != nil {
		return nil, err
	}
	if err := d.Table(t); err != nil {
		return nil, err
	}
	return d.Bytes()
}

// PackExport is who asks for a pack, for the audit log: a pack holds the
// signed lists and the scan log, so it is a personal-data export.
type PackExport struct {
	Actor *auth.Principal // nil: the command line
	Label string
	IP    string
}

// ExportPack records the export in the audit log, then writes the pack.
func (s *Service) ExportPack(ctx context.Context, w io.Writer, l *i18n.Localizer, b *i18n.Bundle, code string, by PackExport) (PackManifest, error) {
	p, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return PackManifest{}, err
	}
	if by.Actor != nil {
		if err := by.Actor.Check(auth.Manage, auth.ProjectObject(p.ID), s.Now()); err != nil {
			return PackManifest{}, err
		}
	}
	label := by.Label
	if label == "" {
		label = "cli"
	}
	if err := audit.Log(ctx, s.Store, s.Store.DB, audit.Entry{Actor: by.Actor, ActorLabel: label, Action: "export.report_pack",
		ObjectType: "project", ObjectID: p.Code, IP: by.IP, Details: map[string]any{"format": "zip"}}); err != nil {
		return PackManifest{}, err
	}
	return s.Pack(ctx, w, l, b, code, s.Now())
}

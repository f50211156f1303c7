package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

// TestReportPack: the project's final report pack from the API lists every
// file in its manifest with a SHA-256 that matches, every count in its
// spreadsheets equals the report API's, the download is audited, and two
// packs of the same data built at the same time are byte-identical (at
// another time only the manifest differs).
func TestReportPack(t *testing.T) {
	f := newFixture(t, nil)
	c := f.as(t, "token-report")
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+c.bearer)
		req.Header.Set("Accept-Language", "en")
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	rec := get("/api/v1/projects/" + programme.ProjectCode + "/report/pack")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("pack: %d %s %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	files := unzip(t, rec.Body.Bytes())
	var m report.PackManifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := files["manifest.pdf"]; !ok {
		t.Fatal("no manifest.pdf")
	}
	if len(files) != len(m.Files)+2 {
		t.Fatalf("%d files in the ZIP, %d in the manifest", len(files), len(m.Files))
	}
	for _, pf := range m.Files {
		body, ok := files[pf.Path]
		sum := sha256.Sum256(body)
		if !ok || hex.EncodeToString(sum[:]) != pf.SHA256 || len(body) != pf.Bytes || pf.Certifies == "" {
			t.Errorf("%s: in the ZIP %v, SHA-256 %x, manifest %s", pf.Path, ok, sum, pf.SHA256)
		}
	}
	l := f.srv.I18n.Localizer("en")
	check := func(where string, sheet [][]string, want report.Counts) {
		t.Helper()
		got := map[string]string{}
		for _, row := range sheet {
			if len(row) >= 2 {
				if _, seen := got[row[0]]; !seen {
					got[row[0]] = row[1]
				}
			}
		}
		for _, mt := range report.SummaryMetrics(want) {
			s, ok := got[l.T("report.metric."+mt.Key)]
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
			var w float64
			switch x := mt.Value.(type) {
			case int:
				w = float64(x)
			case float64:
				w = x
			}
			if !ok || err != nil || (math.Abs(v-w) > 5e-5 && math.Abs(v-100*w) > 0.05) {
				t.Errorf("%s: %s is %q, the API says %v", where, mt.Key, s, mt.Value)
			}
		}
	}
	var proj report.ProjectReport
	if r := get("/api/v1/projects/" + programme.ProjectCode + "/report"); r.Code != http.StatusOK || json.Unmarshal(r.Body.Bytes(), &proj) != nil {
		t.Fatalf("project report: %d", r.Code)
	}
	events := 0
	for _, er := range proj.Events {
		var api report.EventReport
		if r := get("/api/v1/events/" + er.Event.Slug + "/report"); r.Code != http.StatusOK || json.Unmarshal(r.Body.Bytes(), &api) != nil {
			t.Fatalf("event report: %d", r.Code)
		}
		dir := "events/" + twoDigits(er.Event.Number) + "-" + er.Event.Slug + "/"
		for _, name := range []string{"text-en.txt", "text-lv.txt", "signed-lists.pdf", "scan-log.csv", "rule-checks.json"} {
			if len(files[dir+name]) == 0 {
				t.Errorf("%s%s missing or empty", dir, name)
			}
		}
		check(dir+"counts.csv", readCSV(t, files[dir+"counts.csv"]), api.Counts)
		check(dir+"counts.xlsx", xlsxtest.ReadOnly(t, files[dir+"counts.xlsx"])[0].Rows, api.Counts)
		events++
	}
	if events != 5 {
		t.Fatalf("%d events", events)
	}
	check("project/totals.csv", readCSV(t, files["project/totals.csv"]), proj.Counts)
	check("project/totals.xlsx", xlsxtest.ReadOnly(t, files["project/totals.xlsx"])[0].Rows, proj.Counts)
	var n int
	f.st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'export.report_pack'`)
	if n != 1 {
		t.Fatalf("%d audit entries", n)
	}

	// Built twice at one time: the same bytes. At another time: only the
	// manifest (which states the time) differs.
	ctx := context.Background()
	build := func(at time.Time) []byte {
		var b bytes.Buffer
		if _, err := f.srv.Services.Reports.Pack(ctx, &b, l, f.srv.I18n, programme.ProjectCode, at); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a, b := build(at), build(at)
	if !bytes.Equal(a, b) {
		fb := unzip(t, b)
		for name, body := range unzip(t, a) {
			if !bytes.Equal(body, fb[name]) {
				t.Errorf("%s differs", name)
			}
		}
		t.Fatal("two packs of the same data at the same time differ")
	}
	fa, fc := unzip(t, a), unzip(t, build(at.Add(time.Hour)))
	for name, body := range fa {
		if !bytes.Equal(body, fc[name]) && !strings.HasPrefix(name, "manifest.") && !strings.HasSuffix(name, ".pdf") {
			t.Errorf("%s differs between two builds an hour apart", name)
		}
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

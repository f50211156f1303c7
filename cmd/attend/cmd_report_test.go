package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

// The CLI contract: attend report --event SLUG | --project CODE --format text|json|csv|xlsx|pdf.
func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	url, st := demoStore(t)
	want, err := report.New(st, time.Now).Event(ctx, "decode-1-daugavpils", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=" + url}

	out, errOut, code := attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "json")
	var got struct {
		Attended  int `json:"attended"`
		Countries int `json:"countries"`
		Text      struct {
			Plain string `json:"plain"`
		} `json:"text"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Attended != want.Attended || got.Countries != want.Countries ||
		!strings.Contains(got.Text.Plain, "The event involved") {
		t.Fatalf("json: exit %d, %+v\n%s", code, got, errOut)
	}
	out, _, code = attend(t, env, "report", "--project", "decode", "--format", "text", "--lang", "lv")
	if code != 0 || !strings.Contains(out, "Tiešie dalībnieki") || !strings.Contains(out, "Notikušo pasākumu skaits") {
		t.Errorf("text (lv): exit %d\n%s", code, out)
	}
	out, _, code = attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "\ufeff") || !strings.Contains(out, "Direct participants,") {
		t.Errorf("csv: exit %d\n%.300s", code, out)
	}
	pdf := filepath.Join(t.TempDir(), "lists.pdf")
	_, errOut, code = attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "pdf", "-o", pdf)
	b, _ := os.ReadFile(pdf)
	if code != 0 || !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.Contains(errOut, "decode-1-daugavpils\tlocal\t") ||
		!strings.Contains(errOut, "SHA-256 ") {
		t.Errorf("pdf: exit %d\n%s", code, errOut)
	}
	var audits int
	if err := st.DB.Get(&audits, `SELECT count(*) FROM audit_log WHERE action = 'export.lists' AND actor = 'cli'`); err != nil || audits != 1 {
		t.Errorf("pdf export audit entries: %d (%v)", audits, err)
	}
	out, errOut, code = attend(t, env, "report", "--event", "decode-4-lodz", "--format", "csv", "--data", "scans")
	if code != 0 || !strings.HasPrefix(out, "\ufeffScanned at,") || !strings.Contains(errOut, "scans: ") {
		t.Errorf("scan log: exit %d\n%.200s\n%s", code, out, errOut)
	}
	out, _, code = attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "csv", "--data", "participants")
	if code != 0 || strings.Count(out, "\n") != want.AttendedAll+1 {
		t.Errorf("participants: exit %d, %d lines, want %d", code, strings.Count(out, "\n"), want.AttendedAll+1)
	}
	if err := st.DB.Get(&audits, `SELECT count(*) FROM audit_log WHERE action IN ('export.scans', 'export.participants') AND actor = 'cli'`); err != nil || audits != 2 {
		t.Errorf("data export audit entries: %d (%v)", audits, err)
	}
	// Every XLSX the command writes, read by openpyxl in read-only mode.
	for _, args := range [][]string{
		{"--event", "decode-1-daugavpils"},
		{"--project", "decode"},
		{"--event", "decode-1-daugavpils", "--data", "participants"},
		{"--event", "decode-4-lodz", "--data", "scans"},
	} {
		f := filepath.Join(t.TempDir(), "report.xlsx")
		_, errOut, code := attend(t, env, append([]string{"report", "--format", "xlsx", "-o", f}, args...)...)
		b, _ := os.ReadFile(f)
		if code != 0 {
			t.Errorf("xlsx %v: exit %d\n%s", args, code, errOut)
			continue
		}
		sheets := xlsxtest.ReadOnly(t, b)
		if len(sheets) == 0 || len(sheets[0].Rows) == 0 || len(sheets[0].Rows[0]) < 2 {
			t.Errorf("xlsx %v: first sheet reads %v", args, sheets)
		}
	}
	for _, args := range [][]string{
		{"report", "--event", "decode-1-daugavpils", "--format", "pdf", "--data", "scans"},
		{"report", "--project", "decode", "--format", "csv", "--data", "participants"},
		{"report", "--format", "json"},
		{"report", "--event", "x", "--project", "y"},
		{"report", "--event", "decode-1-daugavpils", "--format", "doc"},
		{"report", "--event", "decode-1-daugavpils", "--lang", "xx"},
		{"report", "--event", "decode-1-daugavpils", "--rules", "nope"},
	} {
		if _, errOut, code := attend(t, env, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
	if _, errOut, code := attend(t, env, "report", "--event", "nope"); code != 1 || !strings.Contains(errOut, `no event with slug "nope"`) {
		t.Errorf("unknown event: exit %d %s", code, errOut)
	}
}

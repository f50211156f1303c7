package report_test

import (
	"bytes"
	"testing"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

// TestXLSXDeclaresItsRange reads a workbook of sheets of different shapes
// with openpyxl in read-only mode, which stops at each sheet's declared
// <dimension>: every row and cell written must be seen.
func TestXLSXDeclaresItsRange(t *testing.T) {
	var buf bytes.Buffer
	sh, err := report.NewSheets(&buf, report.XLSX)
	if err != nil {
		t.Fatal(err)
	}
	n := 7
	write := func(name string, rows ...[]any) {
		t.Helper()
		if err := sh.Sheet(name); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := sh.Row(r...); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("Summary", []any{"Label", "Value"}, []any{"Direct participants", 64}, []any{"Share", 0.3125})
	write("Wide", []any{"a"}, []any{"b", "c", "", &n, true}, []any{"d", "e"})
	write("One", []any{"only"})
	write("Empty")
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		dim        string
		rows, cols int
	}{
		"Summary": {"A1:B3", 3, 2},
		"Wide":    {"A1:E3", 3, 5},
		"One":     {"A1:A1", 1, 1},
	}
	got := xlsxtest.ReadOnly(t, buf.Bytes())
	if len(got) != 4 {
		t.Fatalf("%d sheets, want 4", len(got))
	}
	for _, s := range got {
		w, ok := want[s.Name]
		if !ok {
			if len(s.Rows) > 1 || (len(s.Rows) == 1 && s.Rows[0][0] != "") {
				t.Errorf("sheet %q: rows %v, want none", s.Name, s.Rows)
			}
			continue
		}
		if s.Dimension != w.dim || len(s.Rows) != w.rows || len(s.Rows[0]) != w.cols {
			t.Errorf("sheet %q: dimension %s, %d rows of %d cells; want %s, %d of %d",
				s.Name, s.Dimension, len(s.Rows), len(s.Rows[0]), w.dim, w.rows, w.cols)
		}
	}
	if r := got[1].Rows; len(r) < 2 || len(r[1]) < 5 || r[1][3] != "7" || r[1][4] != "yes" {
		t.Errorf("Wide = %v", r)
	}
}

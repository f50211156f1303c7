// Package xlsxtest reads workbooks the product writes with openpyxl, an
// independent reader, in read-only mode: the streaming mode that trusts each
// sheet's declared <dimension> instead of scanning its cells.
package xlsxtest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// script prints every sheet as read in read-only mode and as read in full
// mode (which scans the cells and ignores the declaration).
const script = `
import json, sys, openpyxl
def rows(ws):
    return [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
out = []
ro = openpyxl.load_workbook(sys.argv[1], read_only=True)
full = openpyxl.load_workbook(sys.argv[1])
for name in ro.sheetnames:
    out.append({"name": name, "dimension": ro[name].calculate_dimension(),
                "read_only": rows(ro[name]), "full": rows(full[name])})
json.dump(out, sys.stdout)
`

var (
	once   sync.Once
	python string
)

// Python returns a python3 that has openpyxl (Debian: python3-openpyxl), or "".
func Python() string {
	once.Do(func() {
		cands := []string{"/usr/bin/python3", "python3"}
		if p := os.Getenv("PYTHON"); p != "" {
			cands = append([]string{p}, cands...)
		}
		for _, c := range cands {
			if p, err := exec.LookPath(c); err == nil && exec.Command(p, "-c", "import openpyxl").Run() == nil {
				python = p
				return
			}
		}
	})
	return python
}

// Sheet is one worksheet as openpyxl's read-only mode sees it.
type Sheet struct {
	Name      string
	Dimension string
	Rows      [][]string
}

// ReadOnly reads an XLSX with openpyxl in read-only mode and fails the test
// unless every sheet reads the same as in full mode. Without openpyxl the
// test is skipped, or fails when CI is set.
func ReadOnly(t testing.TB, xlsx []byte) []Sheet {
	t.Helper()
	py := Python()
	if py == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("openpyxl is not installed (CI is set, so this test may not be skipped)")
		}
		t.Skip("openpyxl is not installed (Debian: python3-openpyxl)")
	}
	f := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(f, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", script, f).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("openpyxl: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("openpyxl: %v", err)
	}
	var got []struct {
		Name      string     `json:"name"`
		Dimension string     `json:"dimension"`
		ReadOnly  [][]string `json:"read_only"`
		Full      [][]string `json:"full"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openpyxl output: %v", err)
	}
	sheets := make([]Sheet, len(got))
	for i, s := range got {
		if !same(s.ReadOnly, s.Full) {
			t.Errorf("sheet %q declares %s: read-only mode reads %d rows of %d cells, the sheet holds %d rows of %d",
				s.Name, s.Dimension, len(s.ReadOnly), width(s.ReadOnly), len(s.Full), width(s.Full))
		}
		sheets[i] = Sheet{Name: s.Name, Dimension: s.Dimension, Rows: s.ReadOnly}
	}
	return sheets
}

func width(rows [][]string) int {
	if len(rows) == 0 {
		return 0
	}
	return len(rows[0])
}

func same(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

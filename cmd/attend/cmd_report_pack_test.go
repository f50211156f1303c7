package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/programme"
)

// attend report --project CODE --format pack -o FILE.zip writes the pack
// with its manifest, audited as an export; without -o it is refused.
func TestReportPackCommand(t *testing.T) {
	url, st := demoStore(t)
	vars := map[string]string{"DATABASE_URL": url, "ATTEND_DATA_DIR": t.TempDir()}
	run := inProcess(vars)
	cli := func(args ...string) (string, int) {
		o, e, code := run(args...)
		return o + e, code
	}
	file := filepath.Join(t.TempDir(), "pack.zip")
	out, code := cli("report", "--project", programme.ProjectCode, "--format", "pack", "-o", file)
	if code != 0 || !strings.Contains(out, "files listed in manifest.json") {
		t.Fatalf("pack: %d %s", code, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(zr.File) != 2+5*7+2 || zr.File[0].Name != "manifest.json" {
		t.Fatalf("zip: %v", err)
	}
	r, _ := zr.File[0].Open()
	mj, _ := io.ReadAll(r)
	var m struct{ Project string }
	if json.Unmarshal(mj, &m) != nil || m.Project != programme.ProjectCode {
		t.Fatalf("manifest: %s", mj)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'export.report_pack' AND actor = 'cli'`)
	if n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	if _, code := cli("report", "--project", programme.ProjectCode, "--format", "pack"); code != 2 {
		t.Fatalf("without -o: exit %d", code)
	}
	if _, code := cli("report", "--event", "decode-1-daugavpils", "--format", "pack", "-o", file); code != 2 {
		t.Fatalf("--event: exit %d", code)
	}
}

package main

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The lists of an event where an erased person signed are written, and a
// report that fails never leaves an empty file or spoils an earlier one.
func TestReportFileAfterErasureAndOnError(t *testing.T) {
	url, st := demoStore(t)
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 120, 40))); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b.Bytes())
	var email string
	if err := st.DB.Get(&email, `
		WITH a AS (SELECT a.registration_id, a.event_id, a.day FROM admissions a JOIN events e ON e.id = a.event_id
			JOIN registrations r ON r.id = a.registration_id
			WHERE e.slug = 'decode-1-daugavpils' AND a.undone_at IS NULL AND r.email IS NOT NULL ORDER BY a.id LIMIT 1),
		s AS (INSERT INTO signatures (event_id, registration_id, day, image_png, sha256)
			SELECT event_id, registration_id, day, $1, $2 FROM a RETURNING registration_id)
		SELECT r.email FROM registrations r JOIN s ON s.registration_id = r.id`, b.Bytes(), sum[:]); err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=" + url}
	if out, errOut, code := attend(t, env, "privacy", "erase", "--email", email, "--yes"); code != 0 {
		t.Fatalf("erase: exit %d\n%s\n%s", code, out, errOut)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "lists.pdf")
	_, errOut, code := attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "pdf", "-o", pdf)
	first, _ := os.ReadFile(pdf)
	if code != 0 || !bytes.HasPrefix(first, []byte("%PDF-")) {
		t.Fatalf("lists after an erasure: exit %d, %d bytes\n%s", code, len(first), errOut)
	}
	// A report that fails half-way (the rule set is looked up after the
	// output is opened) leaves the earlier file as it was and creates none.
	if _, _, code := attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "pdf", "--rules", "nope", "-o", pdf); code == 0 {
		t.Fatal("a report with an unknown rule set succeeded")
	}
	if again, _ := os.ReadFile(pdf); !bytes.Equal(again, first) {
		t.Errorf("a failed report changed the earlier file (%d bytes, was %d)", len(again), len(first))
	}
	fresh := filepath.Join(dir, "fresh.pdf")
	if _, _, code := attend(t, env, "report", "--event", "decode-1-daugavpils", "--format", "pdf", "--rules", "nope", "-o", fresh); code == 0 {
		t.Fatal("a report with an unknown rule set succeeded")
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a failed report left %s (%v)", fresh, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left in the output folder: %v", ents)
	}
}

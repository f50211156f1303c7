package certificates

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPDFText renders a certificate in Latvian and reads it back: every part
// of it prints, the long verification link included (split over lines, never
// cut). CERT_KEEP=dir keeps the PDF for looking at.
func TestPDFText(t *testing.T) {
	d := Document{Lang: "lv", Title: "Dalības apliecība", Certify: "Ar šo apliecina, ka", Name: "Jūratė Žemaitė-Łukasiewicz",
		Attended: "piedalījās pasākumā", Event: "Noslēguma konference", Held: "kas notika: Daugavpils, Latvija, 1.–3.12.2026.",
		Days: []string{"pirmd. 01.12.2026.", "otrd. 02.12.2026."}, Project: []string{"Projekts: DeCoDe", "Programma: Europe for Citizens"},
		Signatory: "Inese Ozola", Position: "Starptautisko attiecību nodaļas vadītāja", Host: "Daugavpils pilsētas dome",
		Code: "AQECUkEzU7OiAQEAAF3gQ5wXS7Ca7l-vcX0lLEdLifHlsnh8izgg8twgecsC9HDFeNSK3lZY2jngeLSW0eETo1-8v1qQLIrfJ7KPkAQ"}
	d.VerifyURL = "https://events.example.lv/verify/" + d.Code
	d.Labels.Days, d.Labels.Verify, d.Labels.Signed = "Apmeklētas 2 dienas:", "Pārbaudiet šo apliecību:", "Uzņēmējas puses vārdā"
	b, err := PDF(d)
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("CERT_KEEP")
	if dir == "" {
		dir = t.TempDir()
	}
	file := filepath.Join(dir, "certificate.pdf")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not installed (required when CI is set)")
		}
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{d.Title, d.Name, d.Event, d.Signatory, d.Position, d.Host, d.Days[1], d.Project[1]} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(text), ""), d.VerifyURL) {
		t.Errorf("the link is not whole in\n%s", text)
	}
}

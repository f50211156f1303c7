package pdfdoc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/internal/qr"
)

var names = []string{
	"Jūratė Žemaitė",
	"Łukasz Wójcik",
	"Ștefan Țurcanu",
	"Søren Ærø",
	"Алексей Щукин",
	"Daugavpils pilsētas dome",
}

// needTool skips when an external checker is missing on a developer machine
// but fails in CI, where its absence would hide a broken PDF.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not installed (required when CI is set)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func writePDF(t *testing.T, d *Doc) string {
	t.Helper()
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("PDFDOC_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, t.Name()+".pdf"), b, 0o600)
	}
	return f
}

// pages returns the text of each page.
func pages(t *testing.T, file string) []string {
	t.Helper()
	out, err := exec.Command(needTool(t, "pdftotext"), "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Jūratė Žemaitė", "Jūratė Žemaitė"},
		{"Ju\u0304rate\u0307", "Jūratė"}, // decomposed input becomes NFC
		{"Anna 😀 Berzina", "Anna  Berzina"},
		{"👍🏽", ""},
		{"❤️ Rīga", "❤ Rīga"}, // variation selector dropped, heart kept
		{"a\tb\r\nc", "a b\nc"},
		{"zero\u200bwidth\u200djoin", "zerowidthjoin"},
		{"bell\x07", "bell"},
		{"中文 Łódź", " Łódź"},
		{"Αθήνα", "Αθήνα"},
	}
	for _, tc := range cases {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNamesRoundTrip(t *testing.T) {
	d, err := New(A4)
	if err != nil {
		t.Fatal(err)
	}
	d.SetInfo("Participants", "Daugavpils pilsētas dome")
	if err := d.SetFont(Bold, 16); err != nil {
		t.Fatal(err)
	}
	if err := d.Paragraph("Final results dissemination conference", Left); err != nil {
		t.Fatal(err)
	}
	if err := d.SetFont(Regular, 11); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := d.Paragraph(n, Left); err != nil {
			t.Fatal(err)
		}
	}
	// Emoji and other characters the font lacks vanish without error.
	if err := d.Paragraph("Guest 😀🎉 list", Left); err != nil {
		t.Fatal(err)
	}
	png, err := qr.PNG("DA1:TEST", 200)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Image(png, d.Margin(), d.Y()+10, 120, 120); err != nil {
		t.Fatal(err)
	}
	if err := d.Image([]byte("not an image"), 0, 0, 10, 10); err == nil {
		t.Error("Image accepted garbage")
	}
	d.SetY(d.Y() + 140)
	h, err := d.Text(d.Margin(), d.Y(), 150, strings.Repeat("wrapped words ", 12), Left)
	if err != nil {
		t.Fatal(err)
	}
	if h < 3*d.LineH() {
		t.Errorf("wrapped text height %.1f, want several lines", h)
	}
	d.Line(d.Margin(), 800, d.Size().W-d.Margin(), 800, 0.5)
	d.Box(400, 100, 150, 60, 1)
	sum := d.SHA256()
	d.SetFooter(func(f FooterInfo) (string, string) {
		return "SHA-256 " + f.SHA256[:16], fmt.Sprintf("page %d of %d", f.Page, f.Pages)
	})

	text := pages(t, writePDF(t, d))
	if len(text) != 1 {
		t.Fatalf("%d pages, want 1", len(text))
	}
	lines := strings.Split(text[0], "\n")
	for _, n := range names {
		want := norm.NFC.String(n)
		found := false
		for _, l := range lines {
			if strings.TrimSpace(l) == want {
				found = true
			}
		}
		if !found {
			t.Errorf("%q not found as a line in:\n%s", want, text[0])
		}
	}
	for _, want := range []string{"Guest list", "page 1 of 1", "SHA-256 " + sum[:16]} {
		if !strings.Contains(strings.Join(strings.Fields(text[0]), " "), want) {
			t.Errorf("%q missing from:\n%s", want, text[0])
		}
	}
}

func TestTableHeaderRepeats(t *testing.T) {
	d, err := New(A4)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for i := range 45 {
		rows = append(rows, []string{fmt.Sprint(i + 1), names[i%len(names)], "LV", ""})
	}
	hooked := 0
	err = d.Table(Table{
		Columns: []Column{
			{Title: "No.", Width: 36, Align: Right},
			{Title: "Vārds, uzvārds"},
			{Title: "Valsts", Width: 60, Align: Center},
			{Title: "Paraksts", Width: 140},
		},
		Rows:         rows,
		MinRowHeight: 40,
		Cell: func(d *Doc, row, col int, box Rect) error {
			if col == 3 && (box.W != 140 || box.H != 40) {
				t.Errorf("signature cell %+v", box)
			}
			hooked++
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if hooked != 45*4 {
		t.Errorf("cell hook called %d times, want %d", hooked, 45*4)
	}
	if d.Pages() != 3 {
		t.Fatalf("%d pages, want 3", d.Pages())
	}
	text := pages(t, writePDF(t, d))
	if len(text) != 3 {
		t.Fatalf("pdftotext found %d pages, want 3", len(text))
	}
	seen := 0
	for i, p := range text {
		if strings.Count(p, "Vārds, uzvārds") != 1 || !strings.Contains(p, "Paraksts") {
			t.Errorf("page %d: header not repeated once:\n%s", i+1, p)
		}
		// pdftotext may drop the narrow spaces around the slash.
		if !strings.Contains(strings.ReplaceAll(p, " ", ""), fmt.Sprintf("%d/3", i+1)) {
			t.Errorf("page %d: no page number", i+1)
		}
		seen += strings.Count(p, "Łukasz Wójcik")
	}
	if want := 45 / len(names); seen < want {
		t.Errorf("Łukasz Wójcik printed %d times, want >= %d", seen, want)
	}
}

func TestPhonePage(t *testing.T) {
	d, err := New(Phone)
	if err != nil {
		t.Fatal(err)
	}
	png, err := qr.PNG("DA1:PHONE", 240)
	if err != nil {
		t.Fatal(err)
	}
	w := d.ContentWidth()
	if err := d.Image(png, d.Margin(), d.Margin(), w, w); err != nil {
		t.Fatal(err)
	}
	d.SetY(d.Margin() + w + 8)
	if err := d.SetFont(Bold, 14); err != nil {
		t.Fatal(err)
	}
	if err := d.Paragraph("Ștefan Țurcanu", Center); err != nil {
		t.Fatal(err)
	}
	text := pages(t, writePDF(t, d))
	if len(text) != 1 || !strings.Contains(text[0], "Ștefan Țurcanu") {
		t.Errorf("phone page text:\n%q", text)
	}
}

func TestDigest(t *testing.T) {
	build := func(parts ...string) string {
		d, err := New(A4)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			if err := d.Paragraph(p, Left); err != nil {
				t.Fatal(err)
			}
		}
		return d.SHA256()
	}
	a, b := build("Søren Ærø", "Vejle"), build("Søren Ærø", "Vejle")
	if a != b {
		t.Error("same content, different digests")
	}
	if a == build("Søren Ærø", "Vejle.") || a == build("Søren Ærø Vejle") {
		t.Error("different content, same digest")
	}
}

func TestWrap(t *testing.T) {
	d, err := New(A4)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 200)
	for _, s := range []string{"a b c d e f g h", long, "line one\nline two", ""} {
		lines := d.Wrap(s, 60)
		for _, l := range lines {
			if d.TextWidth(l) > 60 {
				t.Errorf("Wrap(%q): line %q is %.1f wide", s, l, d.TextWidth(l))
			}
		}
		if got := strings.ReplaceAll(strings.Join(lines, ""), " ", ""); got != strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\n", "") {
			t.Errorf("Wrap(%q) lost text: %q", s, lines)
		}
	}
}

func BenchmarkTable(b *testing.B) {
	rows := make([][]string, 200)
	for i := range rows {
		rows[i] = []string{fmt.Sprint(i), names[i%len(names)], ""}
	}
	for b.Loop() {
		d, err := New(A4)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Table(Table{Columns: []Column{{Title: "No.", Width: 40}, {Title: "Name"}, {Title: "Signature"}}, Rows: rows}); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

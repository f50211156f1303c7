package qr

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/decode-attend/attend/internal/ticketcode"
)

func ticketPayload(t *testing.T) string {
	t.Helper()
	kid, _, priv, err := ticketcode.NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := ticketcode.Claims{
		EventID:  42,
		TicketID: 1234567,
		KeyID:    kid,
		Days: []time.Time{
			time.Date(2019, 10, 9, 0, 0, 0, 0, time.UTC),
			time.Date(2019, 10, 10, 0, 0, 0, 0, time.UTC),
			time.Date(2019, 10, 11, 0, 0, 0, 0, time.UTC),
		},
	}
	s, err := ticketcode.Sign(c, priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// needTool skips when an external checker is missing on a developer machine
// but fails in CI, where its absence would silently hide a broken output.
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

func TestTicketPayloadVersion(t *testing.T) {
	s := ticketPayload(t)
	v, err := Version(s)
	if err != nil {
		t.Fatal(err)
	}
	if v > 10 {
		t.Errorf("ticket payload (%d chars) needs QR version %d, want <= 10", len(s), v)
	}
	// The format chose uppercase base32 because QR alphanumeric mode makes it
	// smaller than the same bytes in base64url; keep that true.
	raw := strings.TrimPrefix(s, ticketcode.Prefix)
	data, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	v64, err := Version(ticketcode.Prefix + base64.RawURLEncoding.EncodeToString(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("payload %d chars (%d bytes): base32 version %d, base64url version %d", len(s), len(data), v, v64)
	if v > v64 {
		t.Errorf("base32 version %d larger than base64url version %d", v, v64)
	}
}

func TestPNGDecodes(t *testing.T) {
	zbar := needTool(t, "zbarimg")
	for _, text := range []string{ticketPayload(t), "ABCD2345", "Jūratė Žemaitė"} {
		b, err := PNG(text, 300)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w > 300 || w < 150 {
			t.Errorf("width %d, want in (150, 300]", w)
		}
		f := filepath.Join(t.TempDir(), "qr.png")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--raw", "-q", "-Sbinary", f).Output()
		if err != nil {
			t.Fatalf("zbarimg: %v", err)
		}
		if got := strings.TrimSuffix(string(out), "\n"); got != text {
			t.Errorf("zbarimg read %q, want %q", got, text)
		}
	}
}

func TestPNGMinimumSize(t *testing.T) {
	b, err := PNG("x", 1)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 21+8 {
		t.Errorf("width %d, want one pixel per module (29)", w)
	}
}

func TestSVGMatchesBitmap(t *testing.T) {
	text := ticketPayload(t)
	svg, err := SVG(text)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ViewBox string `xml:"viewBox,attr"`
		Shape   string `xml:"shape-rendering,attr"`
		Paths   []struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("SVG is not XML: %v", err)
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	n := len(want)
	if v, _ := Version(text); n != 17+4*v+8 {
		t.Fatalf("bitmap %d modules, want version %d plus quiet zone", n, v)
	}
	if doc.ViewBox != fmt.Sprintf("0 0 %d %d", n, n) || doc.Shape != "crispEdges" || len(doc.Paths) != 1 {
		t.Fatalf("viewBox %q, shape-rendering %q, %d paths", doc.ViewBox, doc.Shape, len(doc.Paths))
	}
	got := make([][]bool, n)
	for i := range got {
		got[i] = make([]bool, n)
	}
	for _, run := range strings.Split(strings.TrimSuffix(doc.Paths[0].D, "z"), "z") {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(run, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 || w < 1 {
			t.Fatalf("bad run %q: %v", run, err)
		}
		for i := x; i < x+w; i++ {
			if got[y][i] {
				t.Fatalf("module %d,%d drawn twice", i, y)
			}
			got[y][i] = true
		}
	}
	for y := range want {
		for x := range want[y] {
			if got[y][x] != want[y][x] {
				t.Fatalf("module %d,%d = %v, want %v", x, y, got[y][x], want[y][x])
			}
		}
	}
	// The quiet zone is empty.
	for i := range n {
		for _, m := range []bool{got[0][i], got[3][i], got[n-1][i], got[i][0], got[i][3], got[i][n-1]} {
			if m {
				t.Fatal("module set in quiet zone")
			}
		}
	}
}

func TestTooLong(t *testing.T) {
	long := strings.Repeat("x", 3000)
	if _, err := PNG(long, 100); err == nil {
		t.Error("PNG accepted 3000 bytes")
	}
	if _, err := SVG(long); err == nil {
		t.Error("SVG accepted 3000 bytes")
	}
	if _, err := Version(long); err == nil {
		t.Error("Version accepted 3000 bytes")
	}
}

package hostile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/internal/report"
)

// Fuzz targets for the inputs the outside world controls. The seed corpora
// (f.Add and testdata/fuzz) run in every `go test`; .ci/fuzz.sh runs a short
// burst of each.

// post sends a body to the fixture's server from a fresh address.
func (f *fixture) post(t *testing.T, c *http.Client, path, ctype string, body []byte, auth bool, cookie string) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-Forwarded-For", f.nextAddr())
	if auth {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "attend_csrf", Value: cookie})
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("transport error: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b
}

func noInternals(t *testing.T, status int, body []byte) {
	t.Helper()
	if status >= 500 {
		t.Fatalf("status %d: %s", status, truncate(string(body), 300))
	}
	for _, h := range stackHints {
		if bytes.Contains(body, []byte(h)) {
			t.Fatalf("answer shows internals (%q): %s", h, truncate(string(body), 300))
		}
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

var fuzzClient = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// FuzzRegistrationAPI posts arbitrary bodies to the registration API: never a
// 5xx, and whatever is accepted is stored as valid UTF-8.
func FuzzRegistrationAPI(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.regBody("", nil))
	f.Add(fx.regBody("first_name", "Jūratė Žemaitė"))
	f.Add(fx.regBody("days", []string{"2019-11-14"}))
	f.Add([]byte(`{"first_name":"\ud800"}`))
	f.Add([]byte(`[[[[[[[[[[{}]]]]]]]]]]`))
	path := "/api/v1/events/" + fx.openSlug + "/registrations"
	f.Fuzz(func(t *testing.T, body []byte) {
		status, out := fx.post(t, fuzzClient, path, "application/json", body, false, "")
		noInternals(t, status, out)
		if status == http.StatusAccepted {
			// One answer for every accepted request: nothing tells a new
			// address from a known one.
			if string(out) != `{"status":"pending_confirmation"}` {
				t.Fatalf("202 answer %s", out)
			}
			var in struct {
				Email string `json:"email"`
			}
			_ = json.Unmarshal(body, &in)
			var first, last, city string
			if err := fx.st.DB.QueryRow(`SELECT first_name, last_name, city FROM registrations
				WHERE lower(email) = lower($1) AND event_id = (SELECT id FROM events WHERE slug = $2)`,
				norm.NFC.String(strings.TrimSpace(in.Email)), fx.openSlug).Scan(&first, &last, &city); err != nil {
				t.Fatalf("202 registration %q not stored: %v", in.Email, err)
			}
			for _, s := range []string{first, last, city} {
				if !utf8.ValidString(s) {
					t.Fatalf("stored invalid UTF-8: %q", s)
				}
			}
		}
	})
}

// FuzzRegistrationForm posts arbitrary form bodies (with a valid CSRF token)
// to the public registration form: never a 5xx.
func FuzzRegistrationForm(f *testing.F) {
	fx := newFixture(f)
	cookie, token := fx.csrf(f, fuzzClient)
	f.Add("first_name=J%C5%ABrat%C4%97&last_name=%C5%BDemait%C4%97&email=j%40example.org&country=LT&city=Kaunas&participation=local&language=lt&privacy_notice_accepted=1")
	f.Add("first_name=%ff%fe&days=x&days=y")
	f.Add("website=spam&first_name=x")
	f.Add("%%%=&&==")
	path := "/en/events/" + fx.openSlug + "/register"
	f.Fuzz(func(t *testing.T, form string) {
		status, out := fx.post(t, fuzzClient, path, "application/x-www-form-urlencoded", []byte("csrf_token="+token+"&"+form), false, cookie)
		noInternals(t, status, out)
	})
}

var syncSeq atomic.Int64

// FuzzSyncUpload posts arbitrary offline-sync uploads with a device token:
// never a 5xx; a 200 answers each scan with a result or an error.
func FuzzSyncUpload(f *testing.F) {
	fx := newFixture(f)
	f.Add([]byte(`{"scans":[{"payload":"DA1:AAAA","scan_id":"7e57a11e-0000-4000-8000-000000000001","scanned_at":"2026-01-01T10:00:00Z","local_result":"admitted"}]}`))
	f.Add([]byte(`{"scans":[]}`))
	f.Add([]byte(`{"scans":[{"scan_id":"x"},{"payload":"\u0000"}]}`))
	f.Add([]byte(`{"scans":[{"payload":"DA1:AAAA","scan_id":"7e57a11e-0000-4000-8000-000000000002","day":"2019-02-30"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		syncSeq.Add(1)
		status, out := fx.post(t, fuzzClient, "/api/v1/scans/batch", "application/json", body, true, "")
		noInternals(t, status, out)
		if status == http.StatusOK {
			var r struct {
				Results []json.RawMessage `json:"results"`
			}
			if err := json.Unmarshal(out, &r); err != nil {
				t.Fatalf("200 that is not a batch answer: %s", truncate(string(out), 300))
			}
		}
	})
}

// exportSeeds are the hostile strings the exports must keep inert.
var exportSeeds = []string{
	"=HYPERLINK(\"http://example.org\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "Jūratė Žemaitė",
	"Алексей Щукин", "a,b;c\"d", "line\nbreak", "", "\x00", "\xff\xfe", "<script>alert(1)</script>", "'quoted",
}

// FuzzExportCSV writes a hostile cell to a CSV export: it reads back as the
// same text, and never as a formula.
func FuzzExportCSV(f *testing.F) {
	for _, s := range exportSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		sh, err := report.NewSheets(&buf, report.CSV)
		if err != nil {
			t.Fatal(err)
		}
		if err := sh.Sheet("People"); err != nil {
			t.Fatal(err)
		}
		if err := sh.Row("No.", s, "end"); err != nil {
			t.Fatal(err)
		}
		if err := sh.Close(); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
		r.FieldsPerRecord = -1
		r.LazyQuotes = false
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("export does not read back: %v", err)
		}
		if len(recs) != 1 || len(recs[0]) != 3 || recs[0][2] != "end" {
			t.Fatalf("one row of three cells expected, got %q", recs)
		}
		got := recs[0][1]
		// encoding/csv turns \r\n into \n inside quoted fields.
		want := strings.ReplaceAll(report.Neutralise(s), "\r\n", "\n")
		if got != want {
			t.Fatalf("cell %q read back as %q, want %q", s, got, want)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("cell %q reads back as a formula: %q", s, got)
		}
	})
}

// FuzzExportXLSX writes a hostile cell to an XLSX export: the workbook opens,
// and text that XML can carry reads back unchanged, never as a formula.
func FuzzExportXLSX(f *testing.F) {
	for _, s := range exportSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		sh, err := report.NewSheets(&buf, report.XLSX)
		if err != nil {
			t.Fatal(err)
		}
		if err := sh.Sheet("People"); err != nil {
			t.Fatal(err)
		}
		if err := sh.Row("No.", s); err != nil {
			t.Fatal(err)
		}
		if err := sh.Close(); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatalf("workbook does not open: %v", err)
		}
		defer x.Close()
		sheet := x.GetSheetName(0)
		got, err := x.GetCellValue(sheet, "B1")
		if err != nil {
			t.Fatal(err)
		}
		if formula, _ := x.GetCellFormula(sheet, "B1"); formula != "" {
			t.Fatalf("cell %q became the formula %q", s, formula)
		}
		if xmlSafe(s) && len(s) <= 32767 && got != report.Neutralise(s) {
			t.Fatalf("cell %q read back as %q", s, got)
		}
	})
}

// xmlSafe reports whether XML 1.0 can carry s unchanged (valid UTF-8, no
// control characters but tab and newline, no carriage return, which XML
// parsers normalise).
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
			return false
		}
	}
	return true
}

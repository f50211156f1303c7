package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

type env struct {
	st     *store.Store
	ts     *httptest.Server
	cookie string
	token  string
	door   string // session of a door user without grants
	now    time.Time
}

func setup(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo, Now: func() time.Time { return now }})
	st := s.Store
	e := env{st: st, ts: s.HTTP, now: now}
	coord := store.User{Email: "coord@example.org", Name: "Coordinator", Role: auth.RoleCoordinator, Language: "en"}
	if err := st.CreateUser(ctx, st.DB, &coord); err != nil {
		t.Fatal(err)
	}
	a := auth.New(st, time.Now)
	var err error
	if e.cookie, err = a.StartSession(ctx, coord.ID, true); err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:8], UserID: &coord.ID, Scopes: []string{auth.ScopeReport}}
	if err := st.CreateToken(ctx, st.DB, &tok); err != nil {
		t.Fatal(err)
	}
	e.token = plain
	door := store.User{Email: "door@example.org", Name: "Door", Role: auth.RoleDoor}
	if err := st.CreateUser(ctx, st.DB, &door); err != nil {
		t.Fatal(err)
	}
	if e.door, err = a.StartSession(ctx, door.ID, true); err != nil {
		t.Fatal(err)
	}
	return e
}

// get fetches path as the coordinator (session) or, with bearer, by token.
func (e env) get(t *testing.T, path string, bearer bool) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	if bearer {
		req.Header.Set("Authorization", "Bearer "+e.token)
	} else {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: e.cookie})
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

type apiReport struct {
	Registered   int     `json:"registered"`
	Attended     int     `json:"attended"`
	AttendedAll  int     `json:"attended_all"`
	Local        int     `json:"local"`
	Invited      int     `json:"invited"`
	Other        int     `json:"other"`
	InvitedShare float64 `json:"invited_share"`
	Countries    int     `json:"countries"`
	NoShows      int     `json:"no_shows"`
	ByCountry    []struct {
		Country  string `json:"country"`
		Attended int    `json:"attended"`
	} `json:"by_country"`
	ByCity []struct {
		City     string `json:"city"`
		Country  string `json:"country"`
		Attended int    `json:"attended"`
	} `json:"by_city"`
	NonEligible []struct {
		Country  string `json:"country"`
		Attended int    `json:"attended"`
	} `json:"non_eligible"`
	Days []struct {
		Date     string `json:"date"`
		Attended int    `json:"attended"`
	} `json:"days"`
	Rules []struct {
		Rule string `json:"rule"`
		Met  bool   `json:"met"`
	} `json:"rules"`
	Text map[string]struct {
		Plain string `json:"plain"`
	} `json:"text"`
}

var metricRe = regexp.MustCompile(`data-metric="([a-z_]+)" data-value="([0-9.]+)"`)

// TestDemoNumbersAgree checks, on the demo data, that the dashboard, the JSON
// report, the XLSX (read with a minimal reader of our own, not excelize), the
// publishable text and the PDF lists (read with pdftotext) give the same numbers.
func TestDemoNumbersAgree(t *testing.T) {
	e := setup(t)
	for _, slug := range []string{"decode-1-daugavpils", "decode-3-palermo", "decode-4-lodz"} {
		t.Run(slug, func(t *testing.T) {
			code, body, _ := e.get(t, "/api/v1/events/"+slug+"/report", true)
			if code != http.StatusOK {
				t.Fatalf("API: %d %s", code, body)
			}
			var r apiReport
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			if r.Attended == 0 || r.Local+r.Invited+r.Other != r.Attended {
				t.Fatalf("implausible report: %+v", r)
			}
			sum := 0
			for _, c := range r.ByCountry {
				sum += c.Attended
			}
			if sum != r.Attended || len(r.ByCountry) != r.Countries {
				t.Errorf("by_country adds to %d over %d countries, want %d over %d", sum, len(r.ByCountry), r.Attended, r.Countries)
			}
			sum = 0
			for _, c := range r.ByCity {
				sum += c.Attended
			}
			if sum != r.Attended {
				t.Errorf("by_city adds to %d, want %d", sum, r.Attended)
			}
			nonEligible := 0
			for _, c := range r.NonEligible {
				nonEligible += c.Attended
			}
			if r.Attended+nonEligible != r.AttendedAll {
				t.Errorf("attended %d + non-eligible %d != attended_all %d", r.Attended, nonEligible, r.AttendedAll)
			}

			// Dashboard.
			code, body, _ = e.get(t, "/admin/reports/events/"+slug, false)
			if code != http.StatusOK {
				t.Fatalf("dashboard: %d %s", code, body)
			}
			html := map[string]string{}
			for _, m := range metricRe.FindAllStringSubmatch(string(body), -1) {
				html[m[1]] = m[2]
			}
			for k, want := range map[string]int{"attended": r.Attended, "local": r.Local, "invited": r.Invited,
				"other": r.Other, "countries": r.Countries, "registered": r.Registered, "no_shows": r.NoShows,
				"attended_all": r.AttendedAll} {
				if html[k] != strconv.Itoa(want) {
					t.Errorf("dashboard %s = %q, API %d", k, html[k], want)
				}
			}
			if html["invited_share"] != fmt.Sprintf("%.4f", r.InvitedShare) {
				t.Errorf("dashboard invited share %q, API %.4f", html["invited_share"], r.InvitedShare)
			}

			// XLSX counts, read back without excelize.
			code, body, hdr := e.get(t, "/admin/reports/events/"+slug+"/counts?format=xlsx", false)
			if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("xlsx: %d %s", code, hdr.Get("Content-Type"))
			}
			sheets := readXLSX(t, body)
			summary := map[string]string{}
			for _, row := range sheets["Summary"] {
				if len(row) >= 2 {
					summary[row[0]] = row[1]
				}
			}
			for label, want := range map[string]int{"Direct participants": r.Attended, "Local": r.Local,
				"Invited": r.Invited, "Other": r.Other, "Countries": r.Countries, "Registered": r.Registered} {
				if summary[label] != strconv.Itoa(want) {
					t.Errorf("xlsx %s = %q, API %d", label, summary[label], want)
				}
			}
			byCountry := sheets["By country"]
			if len(byCountry)-1 != len(r.ByCountry) {
				t.Errorf("xlsx by country has %d rows, API %d", len(byCountry)-1, len(r.ByCountry))
			}
			for i, c := range r.ByCountry {
				if i+1 < len(byCountry) && (byCountry[i+1][0] != c.Country || byCountry[i+1][2] != strconv.Itoa(c.Attended)) {
					t.Errorf("xlsx country row %v, API %+v", byCountry[i+1], c)
				}
			}

			// Publishable text: the total and each country's number.
			text := r.Text["en"].Plain
			if !strings.Contains(text, fmt.Sprintf("The event involved %d citizens", r.Attended)) {
				t.Errorf("publishable text total differs from %d:\n%s", r.Attended, text)
			}
			for _, c := range r.ByCountry {
				if !regexp.MustCompile(fmt.Sprintf(`\b%d participants? from`, c.Attended)).MatchString(text) {
					t.Errorf("publishable text lacks %d participants of %s:\n%s", c.Attended, c.Country, text)
				}
			}
			if nonEligible > 0 && !strings.Contains(text, "non European Union countries") {
				t.Errorf("publishable text lacks the closing sentence:\n%s", text)
			}

			// PDF lists: the counted lists' rows add up to the attended total.
			code, body, _ = e.get(t, "/admin/reports/events/"+slug+"/lists.pdf", false)
			if code != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Fatalf("lists.pdf: %d", code)
			}
			counted, notCounted := listRows(t, body)
			if counted != r.Attended || notCounted != nonEligible {
				t.Errorf("PDF lists hold %d counted and %d other rows, API %d and %d", counted, notCounted, r.Attended, nonEligible)
			}
		})
	}

	// The project report: totals are the events added up.
	code, body, _ := e.get(t, "/api/v1/projects/decode/report", true)
	if code != http.StatusOK {
		t.Fatalf("project API: %d %s", code, body)
	}
	var p struct {
		apiReport
		Events []apiReport `json:"events"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, ev := range p.Events {
		sum += ev.Attended
	}
	if len(p.Events) != 5 || sum != p.Attended {
		t.Errorf("project: %d events adding to %d, total %d", len(p.Events), sum, p.Attended)
	}
	code, body, _ = e.get(t, "/admin/reports", false)
	if code != http.StatusOK || !strings.Contains(string(body), fmt.Sprintf(`data-metric="attended" data-value="%d"`, p.Attended)) {
		t.Errorf("project dashboard: %d, attended %d not shown", code, p.Attended)
	}
}

// listRows reads the lists PDF with pdftotext and returns the number of rows
// on the counted lists and on the non-eligible one (the highest row number of
// each list, a list being a run of pages under one title).
func listRows(t *testing.T, pdf []byte) (counted, other int) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not installed")
		}
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "lists.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	rowRe := regexp.MustCompile(`^\s{0,8}(\d{1,5}) +\S`)
	maxOf := map[string]int{}
	title := ""
	for _, line := range strings.Split(string(out), "\n") {
		if s := strings.TrimSpace(line); strings.HasPrefix(s, "List of participants:") || strings.HasPrefix(s, "Participants from countries outside") {
			title = s
			continue
		}
		if m := rowRe.FindStringSubmatch(line); m != nil && title != "" {
			n, _ := strconv.Atoi(m[1])
			maxOf[title] = max(maxOf[title], n)
		}
	}
	for title, n := range maxOf {
		if strings.HasPrefix(title, "Participants from countries outside") {
			other += n
		} else {
			counted += n
		}
	}
	return counted, other
}

// readXLSX is a minimal XLSX reader (shared strings, inline strings and
// numbers), independent of the library that wrote the file.
func readXLSX(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string, v any) {
		f, ok := files[name]
		if !ok {
			return
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if err := xml.NewDecoder(rc).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var sst struct {
		SI []struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"si"`
	}
	read("xl/sharedStrings.xml", &sst)
	var shared []string
	for _, si := range sst.SI {
		s := si.T
		for _, r := range si.R {
			s += r.T
		}
		shared = append(shared, s)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	read("xl/workbook.xml", &wb)
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	read("xl/_rels/workbook.xml.rels", &rels)
	target := map[string]string{}
	for _, r := range rels.Rel {
		target[r.ID] = "xl/" + strings.TrimPrefix(r.Target, "/xl/")
	}
	out := map[string][][]string{}
	for _, s := range wb.Sheets {
		var ws struct {
			Rows []struct {
				C []struct {
					T  string `xml:"t,attr"`
					V  string `xml:"v"`
					IS struct {
						T string `xml:"t"`
					} `xml:"is"`
				} `xml:"c"`
			} `xml:"sheetData>row"`
		}
		read(target[s.RID], &ws)
		for _, r := range ws.Rows {
			var row []string
			for _, c := range r.C {
				switch c.T {
				case "s":
					i, _ := strconv.Atoi(c.V)
					row = append(row, shared[i])
				case "inlineStr":
					row = append(row, c.IS.T)
				default:
					row = append(row, c.V)
				}
			}
			out[s.Name] = append(out[s.Name], row)
		}
	}
	return out
}

// request runs a request with the given session cookie (or bearer token).
func (e env) request(t *testing.T, method, path, cookie, bearer string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: cookie})
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestAccess(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	// A coordinator's token without the report scope.
	u, err := e.st.UserByEmail(ctx, e.st.DB, "coord@example.org")
	if err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	if err := e.st.CreateToken(ctx, e.st.DB, &store.APIToken{TokenHash: hash, Prefix: plain[:8], UserID: &u.ID,
		Scopes: []string{auth.ScopeScan}}); err != nil {
		t.Fatal(err)
	}
	// A coordinator of another network sees only their own project.
	other := store.Project{Code: "other-network", Title: store.Texts{"en": "Other network"}}
	if err := e.st.CreateProject(ctx, e.st.DB, &other); err != nil {
		t.Fatal(err)
	}
	outsider := store.User{Email: "outsider@example.org", Name: "Outsider", Role: auth.RoleCoordinator, ProjectID: &other.ID}
	if err := e.st.CreateUser(ctx, e.st.DB, &outsider); err != nil {
		t.Fatal(err)
	}
	outCookie, err := auth.New(e.st, time.Now).StartSession(ctx, outsider.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, cookie, bearer string
		want                       int
	}{
		{"other network's event", "/admin/reports/events/decode-1-daugavpils", outCookie, "", http.StatusNotFound},
		{"other network's lists", "/admin/reports/events/decode-1-daugavpils/lists.pdf", outCookie, "", http.StatusNotFound},
		{"other network's API", "/api/v1/projects/decode/report", outCookie, "", http.StatusNotFound},
		{"other network's desk", "/door/sign/decode-4-lodz", outCookie, "", http.StatusNotFound},
		{"own project", "/admin/reports", outCookie, "", http.StatusOK},
		{"anonymous API", "/api/v1/events/decode-1-daugavpils/report", "", "", http.StatusUnauthorized},
		{"scan-scope token", "/api/v1/events/decode-1-daugavpils/report", "", plain, http.StatusForbidden},
		{"report token", "/api/v1/events/decode-1-daugavpils/report", "", e.token, http.StatusOK},
		{"coordinator session on API", "/api/v1/projects/decode/report", e.cookie, "", http.StatusOK},
		{"door user on dashboard", "/admin/reports", e.door, "", http.StatusForbidden},
		{"anonymous dashboard goes to sign-in", "/admin/reports/events/decode-1-daugavpils", "", "", http.StatusSeeOther},
		{"door user on export", "/admin/reports/events/decode-1-daugavpils/participants", e.door, "", http.StatusForbidden},
		{"door user without grant at the desk", "/door/sign/decode-4-lodz", e.door, "", http.StatusNotFound},
		{"unknown event", "/api/v1/events/nope/report", "", e.token, http.StatusNotFound},
		{"unknown rule set", "/api/v1/events/decode-1-daugavpils/report?rules=nope", "", e.token, http.StatusUnprocessableEntity},
		{"other rule set", "/api/v1/events/decode-1-daugavpils/report?rules=cerv-tt", "", e.token, http.StatusOK},
		{"bad format", "/admin/reports/events/decode-1-daugavpils/counts?format=doc", e.cookie, "", http.StatusUnprocessableEntity},
		{"unknown list", "/admin/reports/events/decode-1-daugavpils/lists.pdf?list=nope", e.cookie, "", http.StatusNotFound},
		{"sensitive column without raw", "/admin/reports/events/decode-1-daugavpils/participants?columns=gender", e.cookie, "", http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		code, body, _ := e.request(t, "GET", c.path, c.cookie, c.bearer, nil)
		if code != c.want {
			t.Errorf("%s: %d, want %d: %.200s", c.name, code, c.want, body)
		}
	}
}

func TestExportsAudited(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	paths := map[string]string{
		"export.participants": "/admin/reports/events/decode-1-daugavpils/participants?format=csv&columns=no,first_name,last_name,country_name",
		"export.scans":        "/admin/reports/events/decode-4-lodz/scans?format=xlsx",
		"export.lists":        "/admin/reports/events/decode-1-daugavpils/lists.pdf?list=local",
		"export.badges":       "/admin/reports/events/decode-4-lodz/badges.pdf",
		"export.raw_counts":   "/admin/reports/events/decode-1-daugavpils/counts?format=csv&raw=1",
	}
	for action, path := range paths {
		code, body, hdr := e.request(t, "GET", path, e.cookie, "", nil)
		if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %d %s", path, code, hdr.Get("Content-Disposition"))
			continue
		}
		if action == "export.participants" && (!strings.HasPrefix(body, "\ufeffNo.,First name,Last name,Country\r\n") &&
			!strings.HasPrefix(body, "\ufeffNo.,First name,Last name,Country\n")) {
			t.Errorf("participants CSV starts %q", body[:min(60, len(body))])
		}
		var n int
		if err := e.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor LIKE 'user:%'`, action); err != nil || n != 1 {
			t.Errorf("%s: %d audit entries (%v), want 1", action, n, err)
		}
	}
	// Counts without raw are not personal data: not audited.
	e.request(t, "GET", "/admin/reports/events/decode-1-daugavpils/counts?format=csv", e.cookie, "", nil)
	var n int
	if err := e.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'export.raw_counts'`); err != nil || n != 1 {
		t.Errorf("raw count audits = %d, want 1", n)
	}
	var details string
	if err := e.st.DB.GetContext(ctx, &details, `SELECT details::text FROM audit_log WHERE action = 'export.lists'`); err != nil ||
		!strings.Contains(details, `"local"`) || !strings.Contains(details, "pdf_sha256") {
		t.Errorf("list export audit details: %s (%v)", details, err)
	}
}

// Every report page renders completely in each staff language: no catalogue
// key shows through as text.
func TestPagesInEveryLanguage(t *testing.T) {
	e := setup(t)
	keyRe := regexp.MustCompile(`>[^<]*report\.[a-z_]+\.[a-z_.]+`)
	for _, lang := range i18n.FullLanguages {
		for _, path := range []string{"/admin/reports", "/admin/reports/events/decode-1-daugavpils?raw=1", "/admin/reports/events/decode-5-daugavpils"} {
			req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
			req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: e.cookie})
			req.AddCookie(&http.Cookie{Name: "attend_lang", Value: lang})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d", lang, path, resp.StatusCode)
				continue
			}
			if m := keyRe.FindString(string(b)); m != "" {
				t.Errorf("%s %s shows a key: %s", lang, path, m)
			}
			if !strings.Contains(string(b), `lang="`+lang+`"`) {
				t.Errorf("%s %s: not in the language", lang, path)
			}
		}
	}
}

func TestSigningDesk(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	ev, err := e.st.EventBySlug(ctx, e.st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	door, err := e.st.UserByEmail(ctx, e.st.DB, "door@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.GrantEvent(ctx, e.st.DB, door.ID, ev.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	code, body, _ := e.request(t, "GET", "/door/sign/decode-4-lodz", e.door, "", nil)
	if code != http.StatusOK {
		t.Fatalf("desk: %d", code)
	}
	m := regexp.MustCompile(`href="/door/sign/decode-4-lodz/(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("nobody to sign on the desk:\n%s", body)
	}
	pad := "/door/sign/decode-4-lodz/" + m[1]
	code, body, _ = e.request(t, "GET", pad, e.door, "", nil)
	csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
	if code != http.StatusOK || csrf == nil || !strings.Contains(body, "reports/signing.js") {
		t.Fatalf("pad: %d", code)
	}
	sig := "data:image/png;base64," + base64.StdEncoding.EncodeToString(testPNG(t))
	cases := []struct {
		name string
		form url.Values
		want int
	}{
		{"no CSRF token", url.Values{"signature": {sig}}, http.StatusForbidden},
		{"not an image", url.Values{"csrf_token": {csrf[1]}, "signature": {"data:image/png;base64,AAAA"}}, http.StatusUnprocessableEntity},
		{"signature", url.Values{"csrf_token": {csrf[1]}, "signature": {sig}}, http.StatusSeeOther},
		{"again", url.Values{"csrf_token": {csrf[1]}, "signature": {sig}}, http.StatusConflict},
	}
	for _, c := range cases {
		if code, body, _ := e.request(t, "POST", pad, e.door, "", c.form); code != c.want {
			t.Errorf("%s: %d, want %d: %.300s", c.name, code, c.want, body)
		}
	}
	var n int
	if err := e.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM signatures WHERE user_id = $1 AND length(sha256) = 32`, door.ID); err != nil || n != 1 {
		t.Errorf("signatures stored: %d (%v)", n, err)
	}
	_, body, _ = e.request(t, "GET", "/door/sign/decode-4-lodz", e.door, "", nil)
	if !strings.Contains(body, "✓") {
		t.Errorf("the desk does not show the person as signed")
	}
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 300, 100))
	for x := range 300 {
		img.SetGray(x, 50, color.Gray{})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReportAPIDocumented(t *testing.T) {
	e := setup(t)
	code, body, _ := e.request(t, "GET", "/api/v1/openapi.json", "", "", nil)
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string]any `json:"security"`
		} `json:"paths"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &doc) != nil {
		t.Fatalf("openapi: %d", code)
	}
	for _, p := range []string{"/events/{slug}/report", "/projects/{code}/report"} {
		if op, ok := doc.Paths[p]["get"]; !ok || len(op.Security) == 0 {
			t.Errorf("%s is not documented with its security", p)
		}
	}
}

// Hostile names and towns stay inert: escaped on the page, neutralised in
// spreadsheets, printed as text in the PDF.
func TestHostileInput(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	ev, err := e.st.EventBySlug(ctx, e.st.DB, "decode-1-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	email := "hostile@example.org"
	r := store.Registration{EventID: ev.ID, Status: "confirmed", FirstName: "<script>alert(1)</script>", LastName: "=1+2",
		Email: &email, Country: "LV", City: "=cmd|' /C calc'!A0", Participation: "other", Organisation: "@SUM(A1)"}
	if err := e.st.InsertRegistration(ctx, e.st.DB, &r, []time.Time{ev.FirstDay}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.InsertAdmission(ctx, e.st.DB, &store.Admission{EventID: ev.ID, RegistrationID: r.ID, Day: ev.FirstDay,
		AdmittedAt: ev.FirstDay.Add(9 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := e.request(t, "GET", "/admin/reports/events/decode-1-daugavpils", e.cookie, "", nil)
	if strings.Contains(body, "=cmd|' /C calc'!A0</td>") || !strings.Contains(body, "=cmd|&#39; /C calc&#39;!A0") {
		t.Errorf("town not escaped on the dashboard")
	}
	_, csv, _ := e.request(t, "GET", "/admin/reports/events/decode-1-daugavpils/counts?format=csv", e.cookie, "", nil)
	if !strings.Contains(csv, `'=cmd|' /C calc'!A0`) {
		t.Errorf("town not neutralised in the counts CSV")
	}
	_, csv, _ = e.request(t, "GET", "/admin/reports/events/decode-1-daugavpils/participants?format=csv&columns=first_name,last_name,organisation,city", e.cookie, "", nil)
	for _, want := range []string{"<script>alert(1)</script>,'=1+2,'@SUM(A1),'=cmd|' /C calc'!A0"} {
		if !strings.Contains(csv, want) {
			t.Errorf("participants CSV lacks %q:\n%s", want, csv[len(csv)-300:])
		}
	}
	code, pdf, _ := e.request(t, "GET", "/admin/reports/events/decode-1-daugavpils/lists.pdf?list=other", e.cookie, "", nil)
	if code != http.StatusOK {
		t.Fatalf("lists: %d", code)
	}
	if text := pdfToText(t, []byte(pdf)); !strings.Contains(text, "<script>alert(1)</script>") || !strings.Contains(text, "=cmd|' /C calc'!A0") {
		t.Errorf("PDF list does not print the name as text:\n%s", text)
	}
}

func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A paired door device sends the signature through the API; the device is
// recorded with it.
func TestSignatureAPI(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	ev, err := e.st.EventBySlug(ctx, e.st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	var reg int64
	if err := e.st.DB.Get(&reg, `SELECT registration_id FROM admissions WHERE event_id = $1 AND day = $2 AND undone_at IS NULL LIMIT 1`,
		ev.ID, ev.FirstDay); err != nil {
		t.Skipf("nobody admitted today in the demo: %v", err)
	}
	dev := store.Device{EventID: ev.ID, Name: "Entrance tablet"}
	if err := e.st.CreateDevice(ctx, e.st.DB, &dev); err != nil {
		t.Fatal(err)
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	if err := e.st.CreateToken(ctx, e.st.DB, &store.APIToken{TokenHash: hash, Prefix: plain[:8], DeviceID: &dev.ID,
		Scopes: []string{auth.ScopeScan}}); err != nil {
		t.Fatal(err)
	}
	post := func(slug string, body any) (int, string) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/events/"+slug+"/signatures", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+plain)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	img := "data:image/png;base64," + base64.StdEncoding.EncodeToString(testPNG(t))
	cases := []struct {
		name, slug string
		body       any
		want       int
	}{
		{"another event", "decode-1-daugavpils", map[string]any{"registration_id": reg, "image": img}, http.StatusNotFound},
		{"not an image", "decode-4-lodz", map[string]any{"registration_id": reg, "image": "data:image/png;base64,!!"}, http.StatusUnprocessableEntity},
		{"not admitted today", "decode-4-lodz", map[string]any{"registration_id": 999999, "image": img}, http.StatusNotFound},
		{"signature", "decode-4-lodz", map[string]any{"registration_id": reg, "image": img}, http.StatusCreated},
		{"again", "decode-4-lodz", map[string]any{"registration_id": reg, "image": img}, http.StatusConflict},
	}
	for _, c := range cases {
		if code, body := post(c.slug, c.body); code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, code, c.want, body)
		}
	}
	var n int
	if err := e.st.DB.Get(&n, `SELECT count(*) FROM signatures WHERE registration_id = $1 AND device_id = $2`, reg, dev.ID); err != nil || n != 1 {
		t.Errorf("stored with the device: %d (%v)", n, err)
	}
}

// TestXLSXDownloadsReadOnly reads every XLSX download with openpyxl in
// read-only mode, which trusts each sheet's declared range: every sheet must
// show its header and its rows, not one cell.
func TestXLSXDownloadsReadOnly(t *testing.T) {
	e := setup(t)
	// The demo has admissions but no scan log: three scans to export.
	if _, err := e.st.DB.Exec(`
INSERT INTO scans (scan_id, event_id, registration_id, day, result, scanned_at)
SELECT gen_random_uuid(), e.id, r.id, e.first_day, 'admitted', now()
FROM events e JOIN registrations r ON r.event_id = e.id WHERE e.slug = 'decode-4-lodz' ORDER BY r.id LIMIT 3`); err != nil {
		t.Fatal(err)
	}
	_, body, _ := e.get(t, "/api/v1/events/decode-1-daugavpils/report", true)
	var r apiReport
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	all := url.QueryEscape("no,id,first_name,last_name,organisation,city,country,country_name,email,phone,participation," +
		"kind,partner,status,eligible,days_admitted,first_admitted,signed,language,registered_at,age_band,gender")
	for _, c := range []struct {
		path  string
		sheet string // a sheet that must hold rows besides its header
		rows  int    // data rows expected on it, or 0 for "some"
	}{
		{"/admin/reports/events/decode-1-daugavpils/counts?format=xlsx", "By country", len(r.ByCountry)},
		{"/admin/reports/events/decode-1-daugavpils/counts?format=xlsx&raw=1", "By country", len(r.ByCountry)},
		{"/admin/reports/projects/decode/counts?format=xlsx", "Summary", 0},
		{"/admin/reports/events/decode-1-daugavpils/participants?format=xlsx", "", r.AttendedAll},
		{"/admin/reports/events/decode-1-daugavpils/participants?format=xlsx&who=all&raw=1&columns=" + all, "", 0},
		{"/admin/reports/events/decode-4-lodz/scans?format=xlsx", "", 3},
	} {
		code, body, hdr := e.get(t, c.path, false)
		if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("%s: %d %s", c.path, code, hdr.Get("Content-Type"))
			continue
		}
		sheets := xlsxtest.ReadOnly(t, body)
		found := false
		for i, s := range sheets {
			if !(s.Name == c.sheet || (c.sheet == "" && i == 0)) {
				continue
			}
			found = true
			if len(s.Rows) < 2 || (c.rows > 0 && len(s.Rows)-1 != c.rows) || len(s.Rows[0]) < 2 {
				t.Errorf("%s: sheet %q (%s) reads %d rows, want a header and %d", c.path, s.Name, s.Dimension, len(s.Rows), c.rows)
			}
		}
		if !found {
			t.Errorf("%s: no sheet %q among %d", c.path, c.sheet, len(sheets))
		}
	}
}

package public_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// TestResultsPage: the public results page answers 404 until a coordinator
// publishes it; then it shows the report's own publishable paragraph, the
// counts by country and no name or e-mail, in each language the text
// exists in, passes the accessibility audit on a phone, and has a fragment
// other sites may frame; taken down, it answers 404 again.
func TestResultsPage(t *testing.T) {
	ctx := context.Background()
	s := webtest.New(t, webtest.Options{})
	st, svc := s.Store, s.Web.Services
	f := regtest.NewFixture(t, st, "results-web", nil)
	shift := int(f.Event.LastDay.Sub(time.Now().UTC().Truncate(24*time.Hour)).Hours()/24) + 3
	for _, q := range []string{
		`UPDATE event_days SET day = day - $2::int WHERE event_id = $1`,
		`UPDATE events SET first_day = first_day - $2::int, last_day = last_day - $2::int WHERE id = $1`,
	} {
		if _, err := st.DB.Exec(q, f.Event.ID, shift); err != nil {
			t.Fatal(err)
		}
	}
	ev, _ := st.Event(ctx, st.DB, f.Event.ID)
	d1 := ev.FirstDay.Format("2006-01-02")
	sheet, _ := sheetin.Read([]byte("first_name;last_name;email;city;country;participation;partner;days;attended\n" +
		"Jūratė;Žemaitė;jurate@example.lt;Kaunas;LT;invited;kaunas;" + d1 + ";" + d1 + "\n" +
		"Anna;Bērziņa;anna@example.lv;Daugavpils;LV;local;;" + d1 + ";" + d1 + "\n" +
		"Jānis;Ozols;janis@example.lv;Daugavpils;LV;local;;" + d1 + ";" + d1 + "\n"))
	if res, err := svc.Registration.Import(ctx, nil, ev.Slug, sheet, registration.ImportOptions{Headers: svc.ImportHeaders, Lang: "en"}); err != nil || res.Admissions != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	paths := []string{"/en/events/" + ev.Slug + "/results", "/lv/events/" + ev.Slug + "/results", "/en/events/" + ev.Slug + "/results/embed"}
	for _, p := range paths {
		if status, _ := fetch(t, client, s.URL+p); status != http.StatusNotFound {
			t.Fatalf("unpublished %s: %d", p, status)
		}
	}
	if _, page := fetch(t, client, s.URL+"/en/projects/"+f.Project.Code+"/results"); strings.Contains(page, "/events/"+ev.Slug+"/results") {
		t.Fatal("the project page lists an unpublished event")
	}

	if err := svc.Results.Publish(ctx, nil, ev, ""); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Reports.Event(ctx, ev.Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "lv"} {
		u := s.URL + "/" + lang + "/events/" + ev.Slug + "/results"
		status, page := fetch(t, client, u)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", u, status)
		}
		text := report.Publishable(s.Web.I18n.Localizer(lang), rep)
		for _, line := range strings.Split(text.Plain, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.Contains(html.UnescapeString(page), line) {
				t.Errorf("%s lacks the report's line %q", u, line)
			}
		}
		for _, personal := range []string{"Jūratė", "Žemaitė", "Bērziņa", "Ozols", "@example"} {
			if strings.Contains(page, personal) {
				t.Errorf("%s shows %q", u, personal)
			}
		}
		if !strings.Contains(page, ">2</td>") || !strings.Contains(page, ">1</td>") {
			t.Errorf("%s: no counts by country", u)
		}
	}
	// A language without the text has no page.
	if status, _ := fetch(t, client, s.URL+"/de/events/"+ev.Slug+"/results"); status != http.StatusNotFound {
		t.Fatalf("de: %d", status)
	}
	// The fragment may be framed by no site until the coordinator lists the
	// council's; then by those only, never by any https site.
	embedHeaders := func() (string, string) {
		t.Helper()
		resp, err := client.Get(s.URL + paths[2])
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("embed: %d", resp.StatusCode)
		}
		return resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Frame-Options")
	}
	if csp, xfo := embedHeaders(); !strings.HasSuffix(csp, "; frame-ancestors 'none'") || xfo != "DENY" {
		t.Fatalf("embed without sites: %q %q", csp, xfo)
	}
	if _, err := svc.Results.SetEmbedOrigins(ctx, nil, ev, "https://www.daugavpils.lv\nhttps://kaunas.lt/", ""); err != nil {
		t.Fatal(err)
	}
	if csp, xfo := embedHeaders(); !strings.HasSuffix(csp, "; frame-ancestors https://www.daugavpils.lv https://kaunas.lt") ||
		strings.Contains(csp, "https:;") || strings.Count(csp, "frame-ancestors") != 1 || xfo != "" {
		t.Fatalf("embed with the council's sites: %q %q", csp, xfo)
	}
	resp, _ := client.Get(s.URL + paths[0])
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatal("the full page lost the site's framing policy")
	}
	if _, page := fetch(t, client, s.URL+"/lv/projects/"+f.Project.Code+"/results"); !strings.Contains(page, "/lv/events/"+ev.Slug+"/results") {
		t.Fatal("the project page does not list the published event")
	}

	bctx, cancel := browsertest.NewContext(t)
	defer cancel()
	for _, p := range []string{paths[1], paths[2], "/lv/projects/" + f.Project.Code + "/results"} {
		if err := chromedp.Do(bctx, chromedp.Navigate(s.URL+p)); err != nil {
			t.Fatal(err)
		}
		browsertest.AssertAccessible(t, bctx, p)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(s.URL+paths[1])); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, bctx, "results-phone")

	if err := svc.Results.Unpublish(ctx, nil, ev, ""); err != nil {
		t.Fatal(err)
	}
	if status, _ := fetch(t, client, s.URL+paths[0]); status != http.StatusNotFound {
		t.Fatalf("unpublished again: %d", status)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action IN ('results.publish', 'results.unpublish')`)
	if n != 2 {
		t.Fatalf("%d audit entries", n)
	}
}

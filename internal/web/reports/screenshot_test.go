package reports_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
)

// TestPageLayout renders the report pages in headless Chromium at desktop
// and phone widths and checks that no page scrolls sideways on a phone (wide
// tables scroll inside their frame). With REPORTS_SCREENSHOTS set to a
// directory it also writes screenshots of each section and a printed
// dashboard there, for looking at them.
func TestPageLayout(t *testing.T) {
	dir := os.Getenv("REPORTS_SCREENSHOTS")
	e := setup(t)
	lang := os.Getenv("REPORTS_LANG")
	if lang == "" {
		lang = "en"
	}
	ctx, cancel := browsertest.NewContext(t)
	defer cancel()
	u, _ := url.Parse(e.ts.URL)
	pages := map[string]string{
		"project": "/admin/reports",
		"event1":  "/admin/reports/events/decode-1-daugavpils",
		"event4":  "/admin/reports/events/decode-4-lodz?raw=1",
		"desk":    "/door/sign/decode-4-lodz",
	}
	var reg int64
	if err := e.st.DB.Get(&reg, `SELECT a.registration_id FROM admissions a JOIN events ev ON ev.id = a.event_id
		WHERE ev.slug = 'decode-4-lodz' AND a.day = ev.first_day LIMIT 1`); err == nil {
		pages["pad"] = "/door/sign/decode-4-lodz/" + strconv.FormatInt(reg, 10)
	}
	for name, path := range pages {
		for _, w := range []int64{1280, 390} {
			for _, ck := range []network.SetCookieParams{
				{Name: auth.SessionCookie, Value: e.cookie, Domain: u.Hostname(), Path: "/"},
				{Name: "attend_lang", Value: lang, Domain: u.Hostname(), Path: "/"},
			} {
				if _, err := chromedp.Call(ctx, network.SetCookie, ck); err != nil {
					t.Fatal(err)
				}
			}
			err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(e.ts.URL+path), chromedp.WaitReady("body"))
			if err != nil {
				t.Fatal(err)
			}
			sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, window.innerWidth, document.querySelector("h1") ? document.querySelector("h1").textContent.trim().length : 0]`))
			if err != nil {
				t.Fatal(err)
			}
			if sizes[0] > sizes[1] || sizes[2] == 0 {
				t.Errorf("%s at %dpx: page %vpx wide in a %vpx window, heading of %v characters", name, w, sizes[0], sizes[1], sizes[2])
			}
			if dir == "" {
				continue
			}
			// One viewport per section: full-page images are too tall to look at.
			for _, anchor := range []string{"", "h-rules", "h-days", "h-countries", "h-cities", "h-optional", "h-text", "h-files", "h-events", "h-over-time"} {
				if anchor != "" {
					if err := chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+path+"#"+anchor)); err != nil {
						t.Fatal(err)
					}
				}
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				f := filepath.Join(dir, name+"-"+map[int64]string{1280: "desktop", 390: "phone"}[w]+"-"+anchor+".png")
				if err := os.WriteFile(f, png, 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if dir == "" {
		return
	}
	// The printed dashboard (print style sheet).
	if err := chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/admin/reports/events/decode-1-daugavpils"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "event1-print.pdf"), printed.Data, 0o600); err != nil {
		t.Fatal(err)
	}
}

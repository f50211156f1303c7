package privacyadmin_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/browsertest"
)

// The privacy pages pass axe in a real browser, public and staff alike. With
// PRIVACY_SCREENSHOTS=dir set, each page is also saved there as a PNG.
func TestPrivacyPagesAccessible(t *testing.T) {
	e := setup(t)
	ctx, _ := browsertest.NewContext(t)
	u, _ := url.Parse(e.srv.URL)
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: e.cookie.Name, Value: e.cookie.Value,
			Domain: u.Hostname(), Path: "/"})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"notice-lv", "/lv/privacy/decode"},
		{"my-data-de", e.regPath + "/my-data"},
		{"admin", "/admin/privacy"},
		{"notices", "/admin/privacy/projects/decode/notices"},
		{"anonymise", "/admin/privacy/projects/decode/anonymise"},
	}
	dir := os.Getenv("PRIVACY_SCREENSHOTS")
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitReady("main")); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		browsertest.AssertAccessible(t, ctx, p.path)
		if dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(dir, "privacy-"+p.name+".png"), png, 0o644)
			}
		}
	}
}

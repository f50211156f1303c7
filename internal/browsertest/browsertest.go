// Package browsertest runs end-to-end tests in headless Chromium through
// chromedp, and checks pages with axe-core.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Chromium finds the browser binary: $CHROMIUM, then the usual names. It
// returns "" when none is installed.
func Chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// NewContext starts a headless Chromium for the test and returns a tab's
// context, cancelled (browser stopped) when the test ends. Without a browser
// the test is skipped, or fails when CI is set.
func NewContext(t testing.TB, extraFlags ...string) (context.Context, context.CancelFunc) {
	t.Helper()
	path := Chromium()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (CI is set, so this test may not be skipped)")
		}
		t.Skip("chromium is not installed")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	}
	for _, f := range extraFlags {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if hasValue {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	cancel := func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	}
	t.Cleanup(cancel)
	// Start the browser now, so that a broken installation fails here.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, cancel
}

// Violation is one axe-core rule broken on a page.
type Violation struct {
	ID          string   `json:"id"`
	Impact      string   `json:"impact"`
	Description string   `json:"description"`
	Nodes       []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Description, strings.Join(v.Nodes, "; "))
}

// axeSource is read once from assets/static/vendor (installed by .ci/assets.sh).
func axeSource(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "assets", "static", "vendor", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (run .ci/assets.sh): %v", err)
		}
		t.Skipf("axe-core is missing (run .ci/assets.sh): %v", err)
	}
	return string(b)
}

// Axe runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and
// returns the violations.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src := axeSource(t)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", description: v.description,
			nodes: v.nodes.map(n => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	return vs
}

// AssertAccessible fails the test for every axe-core violation on the page.
func AssertAccessible(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	for _, v := range Axe(t, ctx) {
		t.Errorf("%s: %s", page, v)
	}
}

// Submit clicks the submit button at sel and waits until the page the form
// leads to has loaded and its address contains want (the redirect's mark,
// e.g. "done=results_published"). Waiting for an element instead can find it
// on the page being left, and the next click then races the navigation.
func Submit(t testing.TB, ctx context.Context, sel, want string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if err := WaitForPage(ctx, want); err != nil {
		t.Fatalf("after %s: %v", sel, err)
	}
}

// ErrTabLost is a tab that answers nothing any more, not even the browser's
// history of it: chromedp has stopped taking in what the browser sends.
var ErrTabLost = errors.New("the tab answers nothing")

// WaitForPage waits until the tab has loaded a page whose address contains
// want, or says that the tab is lost (ErrTabLost).
//
// chromedp can lose a page that replaced another while it was asking for
// the old one's document: it then waits for ever for a document root that
// never comes. Each look is bounded, and when one hangs while the browser
// itself (its history, which needs no page) is already at the page wanted,
// that page is loaded again, a GET of the redirect's target, so that
// chromedp takes it in afresh.
func WaitForPage(ctx context.Context, want string) error {
	cond := fmt.Sprintf(`document.readyState === "complete" && location.href.includes(%q)`, want)
	var looks, hung, reloads, lost int
	var lastAt string
	var lastErr error
	for {
		looks++
		look, stop := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(look, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(4*time.Second)))
		stop()
		if err == nil && ok {
			return nil
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			lastErr = err
		}
		if ctx.Err() != nil {
			if at := addressOf(ctx); at != "" {
				lastAt = at
			}
			return fmt.Errorf("no page with %q (the tab was last at %q; %d looks, %d hung, %d reloads, last error %v): %w",
				want, lastAt, looks, hung, reloads, lastErr, ctx.Err())
		}
		at := addressOf(ctx)
		if at != "" {
			lastAt = at
		}
		if errors.Is(err, context.DeadlineExceeded) {
			hung++
			if at == "" {
				lost++
				if lost >= 3 {
					return fmt.Errorf("no page with %q after %d looks: %w", want, looks, ErrTabLost)
				}
			} else {
				lost = 0
			}
			if strings.Contains(at, want) {
				reloads++
				again, stop := context.WithTimeout(ctx, 20*time.Second)
				_ = chromedp.Do(again, chromedp.Reload())
				stop()
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// addressOf is the address of the tab's current history entry, asked of
// the browser rather than of the page (which may be gone or not yet there).
func addressOf(ctx context.Context) string {
	ask, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	h, err := chromedp.Call(ask, page.GetNavigationHistory, cdp.Empty{})
	if err != nil || h.CurrentIndex < 0 || int(h.CurrentIndex) >= len(h.Entries) {
		return ""
	}
	return h.Entries[h.CurrentIndex].URL
}

// SetCookie gives the browser a cookie for pageURL (e.g. a staff session).
func SetCookie(t testing.TB, ctx context.Context, pageURL, name, value string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: pageURL}); err != nil {
		t.Fatalf("set cookie: %v", err)
	}
}

// Screenshot saves the whole page as <name>.png (PNG: quality 100) in $ATTEND_SCREENSHOTS, when
// set, so that a developer can look at what a test saw.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ATTEND_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

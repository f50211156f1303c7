package reports_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
)

// TestSigningPadInBrowser draws a stroke on the pad with pointer events in
// headless Chromium and checks that the PNG reaches the database.
func TestSigningPadInBrowser(t *testing.T) {
	e := setup(t)
	var reg int64
	if err := e.st.DB.Get(&reg, `SELECT a.registration_id FROM admissions a JOIN events ev ON ev.id = a.event_id
		WHERE ev.slug = 'decode-4-lodz' AND a.day = ev.first_day AND a.undone_at IS NULL LIMIT 1`); err != nil {
		t.Skipf("nobody admitted today in the demo: %v", err)
	}
	ctx, cancel := browsertest.NewContext(t)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	u, _ := url.Parse(e.ts.URL)
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: auth.SessionCookie, Value: e.cookie,
		Domain: u.Hostname(), Path: "/"}); err != nil {
		t.Fatal(err)
	}
	pad := e.ts.URL + "/door/sign/decode-4-lodz/" + strconv.FormatInt(reg, 10)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(800, 900), chromedp.Navigate(pad), chromedp.WaitVisible("#pad")); err != nil {
		t.Fatal(err)
	}
	// Saving an empty pad is refused on the page, without a request.
	if err := chromedp.Do(ctx, chromedp.Click(`#sign-form button[type=submit]`), chromedp.WaitVisible("#pad-error")); err != nil {
		t.Fatal(err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.getElementById("pad").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	x, y, w, h := box[0], box[1], box[2], box[3]
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x+w*0.1, y+h/2, chromedp.ButtonLeft)}
	for i := 1; i <= 20; i++ {
		fx := x + w*(0.1+0.8*float64(i)/20)
		fy := y + h/2 + float64((i%4)-2)*h/8
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, fx, fy, chromedp.ButtonLeft))
	}
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+w*0.9, y+h/2, chromedp.ButtonLeft),
		chromedp.Click(`#sign-form button[type=submit]`), chromedp.WaitVisible(".notice.success"))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/door/sign/decode-4-lodz?signed=1") {
		t.Errorf("after saving: %s (%v)", loc, err)
	}
	var n int
	if err := e.st.DB.Get(&n, `SELECT count(*) FROM signatures WHERE registration_id = $1 AND length(image_png) > 500
		AND substring(image_png from 1 for 4) = '\x89504e47'::bytea`, reg); err != nil || n != 1 {
		t.Errorf("stored PNG signatures: %d (%v)", n, err)
	}
}

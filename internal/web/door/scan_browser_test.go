package door_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
)

// slowAssets delays every static file (the scanner's scripts) by ms, as a
// phone on venue Wi-Fi sees it the first time, before anything is cached.
func slowAssets(ctx context.Context, base string, ms float64) error {
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{URLPattern: base + "/assets/*", Latency: ms, DownloadThroughput: -1, UploadThroughput: -1}}})
	return err
}

// A hand scanner read made the moment a freshly paired phone opens the
// scanner, while its scripts are still loading, is answered as one ticket:
// green, not a split read logged as malformed. Then the desk: a person not
// registered for today is shown so, and admitted only with a reason for it.
func TestHandScannerRightAfterPairing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	early := f.Add(t, f.A, "Early", f.Today.AddDate(0, 0, 1))
	ts := newServer(t, st)
	_, token := f.Device(t, f.A, "Door 1")
	ctx, _ := browsertest.NewContext(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/pair#"+token)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "paired", `document.getElementById("pair-open") && !document.getElementById("pair-open").hidden`)
	if err := slowAssets(ctx, ts.URL, 1500); err != nil {
		t.Fatal(err)
	}
	// The scanner page opens; the hand scanner types at once, before the page's modules have loaded.
	waitJS(t, ctx, "scanner page", `location.pathname === "/door/scan" && !!document.getElementById("door-app")`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(f.People[0].Ticket.Payload+"\r")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "admitted", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Admitted: Test Person0"))`)
	var results []string
	if err := st.DB.Select(&results, `SELECT result || ':' || reason FROM scans WHERE event_id = $1 ORDER BY id`, f.A.ID); err != nil {
		t.Fatal(err)
	}
	if strings.Join(results, ",") != "admitted:" {
		t.Fatalf("scan log %v, want one admission", results)
	}
	if err := slowAssets(ctx, ts.URL, 0); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "door-scan-after-pairing")

	// Desk: not registered for today.
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("door-result").click();
		document.querySelector('.door-tab[data-tab="desk"]').click();
		document.getElementById("door-q").value = "Early";
		document.getElementById("door-search").requestSubmit();`))
	if err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "found", `document.querySelectorAll("#door-results li").length === 1`)
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#door-results [data-f="state"]').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(state, "Not registered for today (registered for: ") {
		t.Fatalf("desk says %q", state)
	}
	browsertest.AssertAccessible(t, ctx, "/door/scan desk")
	browsertest.Screenshot(t, ctx, "door-desk-not-today")
	blocked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const f = document.querySelector("#door-results form");
		return !f.querySelector(".door-day-reason").hidden && !f.checkValidity(); })()`))
	if err != nil || !blocked {
		t.Fatalf("the admit form does not ask a reason for the day (%v)", err)
	}
	err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector("#door-results form");
		f.day_reason.value = "Came a day early"; f.querySelector("button").click(); })()`))
	if err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "admitted at the desk", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Admitted: Test Early"))`)
	var reason string
	if err := st.DB.Get(&reason, `SELECT s.reason FROM admissions a JOIN scans s ON s.scan_id = a.scan_id WHERE a.registration_id = $1`, early.Reg.ID); err != nil ||
		!strings.Contains(reason, "Came a day early") {
		t.Fatalf("desk admission reason %q (%v)", reason, err)
	}
}

// A signed-in staff member who may not scan at the event named in the
// address gets a clear message, not a page loading for ever.
func TestScannerRefusedStaff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	ts := newServer(t, st)
	staffB := f.User(t, auth.RoleDoor, f.B)
	cookie, err := auth.New(st, time.Now).StartSession(context.Background(), staffB.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, ts.URL, auth.SessionCookie, cookie)

	for _, tc := range []struct{ lang, want string }{
		{"en", "You may not scan at this event."},
		{"lv", "Jums nav atļauts skenēt šajā pasākumā."},
	} {
		// The language link sets the language; the address names the event.
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"+tc.lang+"/door/scan"), chromedp.Navigate(ts.URL+"/door/scan?event="+f.A.Slug)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "refused in "+tc.lang, `!document.getElementById("door-refused").hidden && document.getElementById("door-refused").textContent.startsWith(`+fmt.Sprintf("%q", tc.want)+`)`)
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("door-device").textContent + "|" + document.getElementById("tab-scan").hidden`))
		if err != nil {
			t.Fatal(err)
		}
		if shown != "|true" {
			t.Fatalf("%s: status line and scan panel hidden: %q", tc.lang, shown)
		}
	}
	browsertest.AssertAccessible(t, ctx, "/door/scan refused")
	browsertest.Screenshot(t, ctx, "door-scan-refused")
	// Granted event B: scanning works.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan?event="+f.B.Slug)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "list of B", `document.getElementById("door-device").textContent.includes("Event B")`)
	time.Sleep(200 * time.Millisecond)
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("door-refused").hidden`)); err != nil || !hidden {
		t.Fatalf("refusal shown at a granted event (%v)", err)
	}
}

package door_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/qr"
)

// writeQRVideo writes a one-frame 640x480 Y4M video of text's QR code, which
// Chromium's fake camera plays in a loop: the QR code scaled with nearest
// neighbour to about 400 px, centred on grey.
func writeQRVideo(t *testing.T, text, path string) {
	t.Helper()
	var img image.Image = image.NewGray(image.Rect(0, 0, 1, 1)) // text "": an empty picture
	if text != "" {
		b, err := qr.PNG(text, 400)
		if err != nil {
			t.Fatal(err)
		}
		if img, err = png.Decode(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	const W, H, S = 640, 480, 400
	src := img.Bounds()
	lum := func(x, y int) byte {
		r, g, bl, _ := img.At(src.Min.X+x*src.Dx()/S, src.Min.Y+y*src.Dy()/S).RGBA()
		return byte((299*r + 587*g + 114*bl) / 1000 >> 8)
	}
	frame := make([]byte, W*H+2*(W/2)*(H/2))
	for i := range W * H {
		frame[i] = 128
	}
	for i := W * H; i < len(frame); i++ {
		frame[i] = 128 // no colour
	}
	ox, oy := (W-S)/2, (H-S)/2
	for y := range S {
		for x := range S {
			frame[(oy+y)*W+ox+x] = lum(x, y)
		}
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F30:1 Ip A1:1 C420jpeg\n", W, H)
	for range 2 {
		w.WriteString("FRAME\n")
		w.Write(frame)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}

func setOffline(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var conds []*network.Conditions
		if off {
			conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		} else {
			conds = []*network.Conditions{}
		}
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: conds, EmulateOfflineServiceWorker: &off}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// waitJS evaluates a JavaScript expression until it is true (surviving
// navigations, which end a single poll).
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search + " | " + (document.getElementById("door-status") || {}).innerText + " | " + (document.getElementById("door-camera-msg") || {}).innerText + " | " + (document.getElementById("door-history") || {}).innerText`))
	t.Fatalf("%s: not reached in 20s (page: %s)", what, state)
}

// clickCamera presses the camera button and waits until the camera is running (or paused).
func clickCamera(t *testing.T, ctx context.Context, running string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("door-camera-start").click()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "camera running="+running, `document.getElementById("door-camera-start").dataset.running === "`+running+`"`)
}

func TestScannerInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	cancelled := f.Add(t, f.A, "Cancelled", f.Today)
	f.Cancel(t, cancelled.Reg.ID)
	tomorrow := f.Add(t, f.A, "Tomorrow", f.Today.AddDate(0, 0, 1))
	other := f.Add(t, f.B, "Other", f.Today)
	ts := newServer(t, st)
	_, token := f.Device(t, f.A, "Door 1")

	video := filepath.Join(t.TempDir(), "camera.y4m")
	writeQRVideo(t, f.People[0].Ticket.Payload, video)
	ctx, _ := browsertest.NewContext(t,
		"--use-fake-ui-for-media-stream",
		"--use-fake-device-for-media-stream",
		"--use-file-for-fake-video-capture="+video,
		"--autoplay-policy=no-user-gesture-required",
	)
	var logMu sync.Mutex
	var logged []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			logMu.Lock()
			logged = append(logged, m.String())
			logMu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			logMu.Lock()
			defer logMu.Unlock()
			for _, l := range logged {
				t.Logf("console: %s", l)
			}
		}
	})

	// Pairing: the token travels in the fragment and lands in the scanner.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/pair#"+token)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "scanner opened after pairing", `location.pathname === "/door/scan" && !location.hash`)
	waitJS(t, ctx, "list loaded", `document.getElementById("door-device").textContent.includes("Door 1")`)
	browsertest.AssertAccessible(t, ctx, "/door/scan")

	// Online: the camera reads the ticket, then reads it again.
	waitJS(t, ctx, "admitted", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Admitted: Test Person0"))`)
	checkFirstLoad(t, ctx)
	// Show the same ticket again: pause the camera and start it.
	clickCamera(t, ctx, "false")
	clickCamera(t, ctx, "true")
	waitJS(t, ctx, "already admitted", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Already admitted: Test Person0"))`)
	var n int
	if err := st.DB.Get(&n, `SELECT count(*) FROM admissions WHERE registration_id = $1 AND undone_at IS NULL`, f.People[0].Reg.ID); err != nil || n != 1 {
		t.Fatalf("%d admissions of the scanned person (%v)", n, err)
	}

	// Network cut: pause the camera, show it another ticket, scan offline.
	clickCamera(t, ctx, "false")
	writeQRVideo(t, f.People[1].Ticket.Payload, video)
	if err := chromedp.Do(ctx, setOffline(true)); err != nil {
		t.Fatal(err)
	}
	clickCamera(t, ctx, "true")
	waitJS(t, ctx, "admitted offline", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Admitted: Test Person1"))`)
	waitJS(t, ctx, "offline, 1 waiting", `document.getElementById("door-net").textContent === "Offline, 1 scan waiting"`)
	clickCamera(t, ctx, "false")

	// Offline verdicts from the phone's own checks, typed in as a hand scanner would.
	forged := forge(f.People[1].Ticket.Payload)
	for _, tc := range []struct{ payload, want string }{
		{forged, "invalid"},
		{other.Ticket.Payload, "wrong_event"},
		{cancelled.Ticket.Payload, "cancelled"},
		{tomorrow.Ticket.Payload, "not_today"},
		{f.People[1].Ticket.Payload, "already_admitted"},
	} {
		js := fmt.Sprintf(`(() => { const i = document.getElementById("door-wedge-input"); i.value = %q; document.getElementById("door-wedge").requestSubmit(); })()`, tc.payload)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "offline "+tc.want, fmt.Sprintf(`document.getElementById("door-result").dataset.result === %q && !document.getElementById("door-result").hidden`, tc.want))
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("door-result").click()`)); err != nil {
			t.Fatal(err)
		}
	}
	waitJS(t, ctx, "offline, 6 waiting", `document.getElementById("door-net").textContent === "Offline, 6 scans waiting"`)
	// The page reloads from the service worker's cache and the queue survives.
	writeQRVideo(t, "", video) // nothing in front of the camera now
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	waitJS(t, ctx, "offline after reload, 6 waiting", `document.getElementById("door-net") && document.getElementById("door-net").textContent === "Offline, 6 scans waiting"`)
	if err := st.DB.Get(&n, `SELECT count(*) FROM admissions WHERE registration_id = $1`, f.People[1].Reg.ID); err != nil || n != 0 {
		t.Fatalf("the server admitted while offline? %d (%v)", n, err)
	}

	// Back online: the queue is sent and the server has the admission with its original time.
	if err := chromedp.Do(ctx, setOffline(false)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "synced", `document.getElementById("door-net").dataset.queued === "0" && document.getElementById("door-net").dataset.online === "true"`)
	var offline bool
	if err := st.DB.Get(&offline, `SELECT s.offline FROM admissions a JOIN scans s ON s.scan_id = a.scan_id
		WHERE a.registration_id = $1 AND a.undone_at IS NULL`, f.People[1].Reg.ID); err != nil || !offline {
		t.Fatalf("offline admission not synced: %v", err)
	}
	rows := map[string]int{}
	var results []struct {
		Result string `db:"result"`
		N      int    `db:"n"`
	}
	if err := st.DB.Select(&results, `SELECT result, count(*) AS n FROM scans WHERE event_id = $1 AND offline GROUP BY result`, f.A.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		rows[r.Result] = r.N
	}
	want := map[string]int{"admitted": 1, "invalid": 1, "wrong_event": 1, "cancelled": 1, "not_today": 1, "already_admitted": 1}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("synced scans %v, want %v", rows, want)
	}

	// Reopened online, the scanner sends the ETag of its stored bundle: the
	// first time the synced admissions changed it (200), then it is current
	// (304) and the stored list stays in use.
	bundleStatus := func(status int, stored string) string {
		return fmt.Sprintf(`document.getElementById("door-app").dataset.bundle === %q && performance.getEntriesByType("resource").some((e) => e.name.includes("/api/v1/door/bundle") && e.responseStatus === %d)`, stored, status)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "bundle refreshed", bundleStatus(200, "stored"))
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "bundle not modified", bundleStatus(304, "unchanged"))
	waitJS(t, ctx, "stored list in use", `document.getElementById("door-device").textContent.includes("Door 1")`)
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("door-mode").hidden`)); err != nil || !ok {
		t.Fatalf("door mode shown at an event that does not count exits (%v)", err)
	}

	// In and out: a coordinator lets the event count exits; the reopened
	// scanner offers the door mode, and switched to Out a ticket records an
	// exit and the counts show the people inside now.
	coord := f.User(t, auth.RoleCoordinator)
	cc, csrf := session(t, st, ts, coord.ID)
	if code, _, _ := call(t, cc, http.MethodPost, ts.URL+"/admin/events/"+f.A.Slug+"/door-mode",
		url.Values{"csrf_token": {csrf}, "counts_exits": {"1"}}.Encode()); code != http.StatusSeeOther {
		t.Fatalf("door mode: %d", code)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "door mode offered", `!document.getElementById("door-mode").hidden && document.getElementById("door-app").dataset.mode === "in"`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#door-mode [data-mode="out"]').click()`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "out mode", `document.getElementById("door-app").dataset.mode === "out" && document.querySelector('#door-mode [data-mode="out"]').getAttribute("aria-pressed") === "true"`)
	js := fmt.Sprintf(`(() => { const i = document.getElementById("door-wedge-input"); i.value = %q; document.getElementById("door-wedge").requestSubmit(); })()`, f.People[0].Ticket.Payload)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "exit recorded", `[...document.querySelectorAll("#door-history li")].some(li => li.textContent.includes("Exit recorded: Test Person0"))`)
	waitJS(t, ctx, "people inside", `!document.querySelector("#door-counts [data-exits]").hidden && document.querySelector('#door-counts [data-count="inside"]').textContent === "1"`)
	browsertest.AssertAccessible(t, ctx, "/door/scan out mode")
	browsertest.Screenshot(t, ctx, "door-scan-out-mode")
	var exits int
	if err := st.DB.Get(&exits, `SELECT count(*) FROM door_exits WHERE registration_id = $1`, f.People[0].Reg.ID); err != nil || exits != 1 {
		t.Fatalf("%d exits recorded (%v)", exits, err)
	}
	// The mode stays on this phone across a reload.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "out mode kept", `document.getElementById("door-app").dataset.mode === "out"`)
}

// forge changes one character in the signature part of a payload.
func forge(p string) string {
	b := []byte(p)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

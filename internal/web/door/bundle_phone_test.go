package door_test

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
)

// bundleTiming is what the scanner page measured of one bundle load.
type bundleTiming struct {
	People    int     `json:"people"`
	FetchMS   float64 `json:"fetch_ms"`   // request and body, over loopback
	ParseMS   float64 `json:"parse_ms"`   // JSON.parse of the body
	IndexMS   float64 `json:"index_ms"`   // the lookups the scanner builds (useBundle)
	KeysMS    float64 `json:"keys_ms"`    // importing the event's Ed25519 keys
	StoreMS   float64 `json:"store_ms"`   // writing it to IndexedDB, as the scanner keeps it
	VerifyMS  float64 `json:"verify_ms"`  // verifying every ticket of the list offline, one by one
	Verified  int     `json:"verified"`   // tickets that verified
	ReloadMS  float64 `json:"reload_ms"`  // the scanner opened again: page start to the stored list in use
	BodyBytes int     `json:"body_bytes"` // the bundle as JSON, uncompressed
}

// TestBundleOnPhoneCPU measures the door's offline bundle for a
// 5,000-person conference (ATTEND_BUNDLE_PEOPLE) on a phone-class CPU:
// Chromium throttled 4 and 6 times (emulation.setCPUThrottlingRate), on the
// real scanner page, with the scanner's own modules (verify.js, store.js).
// It is a measurement, not part of make test (docs/performance.md):
//
//	ATTEND_BUNDLE_PHONE=1 go test -count=1 -v -run TestBundleOnPhoneCPU ./internal/web/door/
func TestBundleOnPhoneCPU(t *testing.T) {
	if os.Getenv("ATTEND_BUNDLE_PHONE") == "" {
		t.Skip("a measurement: set ATTEND_BUNDLE_PHONE=1")
	}
	people := 5000
	if n, err := strconv.Atoi(os.Getenv("ATTEND_BUNDLE_PEOPLE")); err == nil && n > 0 {
		people = n
	}
	st := dbtest.Open(t)
	t0 := time.Now()
	f := checkintest.New(t, st, people)
	t.Logf("%d people with tickets made in %v", people, time.Since(t0).Round(time.Second))
	ts := newServer(t, st)
	_, token := f.Device(t, f.A, "Door 1")
	_, plain := getBundle(t, ts.URL, token, "identity", "")
	_, gz := getBundle(t, ts.URL, token, "gzip", "")
	_, br := getBundle(t, ts.URL, token, "br", "")
	t.Logf("bundle of %d people: %d bytes plain, %d gzip, %d br (the server sends gzip or zstd for JSON; br is listed for comparison)",
		people, len(plain), len(gz), len(br))

	ctx, _ := browsertest.NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/pair#"+token)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "scanner opened after pairing", `location.pathname === "/door/scan" && !location.hash`)
	waitJS(t, ctx, "list stored", `document.getElementById("door-app").dataset.bundle === "stored"`)

	payloads := make([]string, len(f.People))
	for i, p := range f.People {
		payloads[i] = p.Ticket.Payload
	}
	pj, _ := json.Marshal(payloads)
	// The scanner's own modules, by the addresses the page loaded them from.
	measure := `(async () => {
	  const mod = (name) => performance.getEntriesByType("resource").map((e) => e.name).find((u) => u.includes("/door/" + name));
	  const { importKeys, verify } = await import(mod("verify.js"));
	  const store = await import(mod("store.js"));
	  const token = await store.loadToken();
	  const payloads = ` + string(pj) + `;
	  const out = {};
	  let t = performance.now();
	  const res = await fetch("/api/v1/door/bundle", { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
	  const text = await res.text();
	  out.fetch_ms = performance.now() - t; out.body_bytes = text.length;
	  t = performance.now();
	  const b = JSON.parse(text);
	  out.parse_ms = performance.now() - t; out.people = b.people.length;
	  t = performance.now();
	  const people = new Map(b.people.map((p) => [p.ticket_id, p]));
	  const revoked = new Map(b.revoked.map((r) => [r.ticket_id, r.cancelled]));
	  const admitted = new Set(b.admitted_today);
	  out.index_ms = performance.now() - t;
	  t = performance.now();
	  const keys = await importKeys(b.keys);
	  out.keys_ms = performance.now() - t;
	  t = performance.now();
	  await store.putAll({ bundle: b });
	  out.store_ms = performance.now() - t;
	  t = performance.now();
	  let ok = 0;
	  for (const p of payloads) {
	    const v = await verify(p, b.event.id, keys);
	    if (v.ok && people.has(v.claims.ticketId) && !revoked.has(v.claims.ticketId)) ok++;
	  }
	  out.verify_ms = performance.now() - t; out.verified = ok;
	  return JSON.stringify(out);
	})()`
	// On every page from now on: note when the scanner shows the stored list.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
	new MutationObserver(() => {
	  const d = document.getElementById("door-device");
	  if (!window.__bundleInUse && d && d.textContent.includes("Door 1")) window.__bundleInUse = performance.now();
	}).observe(document, { subtree: true, childList: true, characterData: true });`}); err != nil {
		t.Fatal(err)
	}
	for _, rate := range []float64{1, 4, 6} {
		if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate}); err != nil {
			t.Fatal(err)
		}
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](measure, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var m bundleTiming
		if err := json.Unmarshal([]byte(js), &m); err != nil {
			t.Fatal(err)
		}
		if m.People != people || m.Verified != people {
			t.Fatalf("CPU /%v: %d people in the bundle, %d verified, want %d", rate, m.People, m.Verified, people)
		}
		// The scanner opened again with the list on the phone: from the
		// page's start until the stored list is in use (the check with the
		// server follows and finds it unchanged).
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/door/scan")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "list in use again", `document.getElementById("door-app").dataset.bundle === "unchanged" &&
			document.getElementById("door-device").textContent.includes("Door 1")`)
		reload, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__bundleInUse || -1`))
		if err != nil {
			t.Fatal(err)
		}
		m.ReloadMS = reload
		t.Logf("CPU slowed %vx: bundle %d people, %d bytes: fetch %.0f ms, JSON.parse %.0f ms, index %.0f ms, keys %.1f ms, IndexedDB write %.0f ms; "+
			"load total %.0f ms; verifying all %d tickets %.0f ms (%.2f ms each); scanner reopened, list in use within %.0f ms of the page's start",
			rate, m.People, m.BodyBytes, m.FetchMS, m.ParseMS, m.IndexMS, m.KeysMS, m.StoreMS,
			m.FetchMS+m.ParseMS+m.IndexMS+m.KeysMS+m.StoreMS, m.Verified, m.VerifyMS, m.VerifyMS/float64(m.Verified), m.ReloadMS)
	}
}

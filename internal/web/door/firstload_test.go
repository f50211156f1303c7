package door_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// loaded is one entry of the page's resource timing.
type loaded struct {
	Name    string `json:"name"`
	Encoded int    `json:"encoded"`
	Decoded int    `json:"decoded"`
	Worker  bool   `json:"worker"` // answered by the service worker's cache
}

// wireBytes fetches u as a client sending acceptEncoding and counts the body.
func wireBytes(t *testing.T, u, acceptEncoding string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	return int(n)
}

// checkFirstLoad takes the files the open scanner page loaded (the page, its
// scripts, stylesheet and the QR decoder) from the Resource Timing API,
// checks that those the browser fetched itself came compressed, and logs the
// first-load bytes for docs/performance.md, fetching the same files as a
// client taking brotli, only gzip, or nothing. (Files the service worker
// answered from its cache show their decoded size there, not the wire's.)
func checkFirstLoad(t *testing.T, ctx context.Context) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(
		[performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")]
			.filter((e) => e.name.startsWith(location.origin) && !e.name.includes("/api/"))
			.map((e) => ({ name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize, worker: e.workerStart > 0 })))`))
	if err != nil {
		t.Fatal(err)
	}
	var got []loaded
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	var plain, br, gz int
	sawWasm, sawScanner := false, false
	for _, e := range got {
		sawWasm = sawWasm || strings.HasSuffix(e.Name, ".wasm")
		if strings.HasSuffix(e.Name, "/door/scanner.js") || strings.HasSuffix(e.Name, ".wasm") {
			sawScanner = sawScanner || strings.HasSuffix(e.Name, "/door/scanner.js")
			if !e.Worker && (e.Encoded <= 0 || e.Encoded*2 > e.Decoded) {
				t.Errorf("%s came with %d bytes for %d: not compressed", e.Name, e.Encoded, e.Decoded)
			}
		}
		plain += wireBytes(t, e.Name, "identity")
		br += wireBytes(t, e.Name, "gzip, deflate, br, zstd")
		gz += wireBytes(t, e.Name, "gzip")
	}
	if !sawWasm || !sawScanner {
		t.Fatalf("the scanner or the QR decoder is not among the loaded files: %s", raw)
	}
	if !(br < gz && gz*2 < plain) {
		t.Errorf("first load: %d plain, %d br, %d gzip", plain, br, gz)
	}
	t.Logf("scanner first load, %d files: %d bytes plain, %d brotli, %d gzip only", len(got), plain, br, gz)
}

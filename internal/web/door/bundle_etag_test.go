package door_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
)

// getBundle fetches the bundle as the bytes on the wire.
func getBundle(t testing.TB, url, token, acceptEncoding, ifNoneMatch string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/door/bundle", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestBundleETag: the bundle carries an ETag of its content; sending it back
// answers 304 with no body, plain or compressed, until the content changes.
func TestBundleETag(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 20)
	ts := newServer(t, st)
	_, token := f.Device(t, f.A, "Door 1")

	plain, body := getBundle(t, ts.URL, token, "identity", "")
	etag := plain.Header.Get("ETag")
	if plain.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") || len(body) < 1024 {
		t.Fatalf("bundle %d, ETag %q, %d bytes", plain.StatusCode, etag, len(body))
	}
	// generated_at differs between two answers; the tag does not.
	again, _ := getBundle(t, ts.URL, token, "identity", "")
	if again.Header.Get("ETag") != etag {
		t.Fatalf("ETag changed with nothing changed: %q then %q", etag, again.Header.Get("ETag"))
	}
	nm, nb := getBundle(t, ts.URL, token, "identity", etag)
	if nm.StatusCode != 304 || len(nb) != 0 || nm.Header.Get("ETag") != etag {
		t.Fatalf("If-None-Match %s: %d, %d bytes, ETag %q", etag, nm.StatusCode, len(nb), nm.Header.Get("ETag"))
	}
	if other, _ := getBundle(t, ts.URL, token, "identity", `"something-else"`); other.StatusCode != 200 {
		t.Fatalf("a stale ETag: %d", other.StatusCode)
	}

	gz, gb := getBundle(t, ts.URL, token, "gzip", "")
	if gz.StatusCode != 200 || gz.Header.Get("Content-Encoding") != "gzip" || len(gb) >= len(body)/2 {
		t.Fatalf("gzip bundle: %d %q, %d bytes of %d", gz.StatusCode, gz.Header.Get("Content-Encoding"), len(gb), len(body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gb))
	if err != nil {
		t.Fatal(err)
	}
	if dec, err := io.ReadAll(zr); err != nil || !bytes.Contains(dec, []byte(`"people"`)) {
		t.Fatalf("gzip bundle does not decode: %v", err)
	}
	gzTag := gz.Header.Get("ETag")
	if gzTag == etag || !strings.Contains(gzTag, "gzip") {
		t.Fatalf("compressed ETag %q must differ from the plain %q", gzTag, etag)
	}
	if nm, nb := getBundle(t, ts.URL, token, "gzip", gzTag); nm.StatusCode != 304 || len(nb) != 0 {
		t.Fatalf("If-None-Match %s: %d, %d bytes", gzTag, nm.StatusCode, len(nb))
	}

	// A new person changes the content: the old tag gets the full bundle.
	f.Add(t, f.A, "Late", f.Today)
	changed, cb := getBundle(t, ts.URL, token, "identity", etag)
	if changed.StatusCode != 200 || changed.Header.Get("ETag") == etag || !bytes.Contains(cb, []byte("Late")) {
		t.Fatalf("after a change: %d, ETag %q", changed.StatusCode, changed.Header.Get("ETag"))
	}
}

// BenchmarkBundleBytes measures the bundle of 1,000 people on the wire,
// plain and gzipped (docs/performance.md):
//
//	go test -run '^$' -bench BundleBytes -benchtime 1x ./internal/web/door/
func BenchmarkBundleBytes(b *testing.B) {
	st := dbtest.Open(b)
	f := checkintest.New(b, st, 1000)
	ts := newServer(b, st)
	_, token := f.Device(b, f.A, "Door 1")
	var plain, gz []byte
	for b.Loop() {
		_, plain = getBundle(b, ts.URL, token, "identity", "")
		_, gz = getBundle(b, ts.URL, token, "gzip", "")
	}
	b.ReportMetric(float64(len(plain)), "plain-bytes/1000-people")
	b.ReportMetric(float64(len(gz)), "gzip-bytes/1000-people")
}

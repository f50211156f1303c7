package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/decode-attend/attend/assets"
)

// fetchEncoded sends one request with the given Accept-Encoding and returns
// the bytes as they crossed the wire (setting the header stops net/http from
// decoding gzip by itself).
func (f *fixture) fetchEncoded(t *testing.T, method, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.app.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	req.Header.Set("Accept-Language", "en")
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

func decode(t *testing.T, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		gr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = gr
	case "":
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

// TestAssetsCompressed: each Accept-Encoding gets its variant, which decodes
// to the embedded file; HEAD announces the same coding and length as GET.
func TestAssetsCompressed(t *testing.T) {
	f := newFixture(t, nil)
	for _, file := range []string{"door/scanner.js", "css/site.css", "vendor/zxing-wasm/zxing_reader.wasm"} {
		orig, err := fs.ReadFile(assets.FS, "static/"+file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ accept, want string }{
			{"gzip, deflate, br, zstd", "br"},
			{"br", "br"},
			{"gzip", "gzip"},
			{"br;q=0, gzip", "gzip"},
			{"*", "br"},
			{"identity", ""},
			{"", ""},
		} {
			get, body := f.fetchEncoded(t, http.MethodGet, "/assets/0/"+file, tc.accept)
			if get.StatusCode != 200 {
				t.Fatalf("%s %q: %d", file, tc.accept, get.StatusCode)
			}
			ce := get.Header.Get("Content-Encoding")
			if ce != tc.want {
				t.Errorf("%s with %q: Content-Encoding %q, want %q", file, tc.accept, ce, tc.want)
			}
			if get.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("%s with %q: Vary %q", file, tc.accept, get.Header.Get("Vary"))
			}
			if got := decode(t, ce, body); !bytes.Equal(got, orig) {
				t.Errorf("%s with %q: decoded %d bytes differ from the %d embedded", file, tc.accept, len(got), len(orig))
			}
			if ce != "" && len(body) >= len(orig) {
				t.Errorf("%s %s: %d bytes, not smaller than %d", file, ce, len(body), len(orig))
			}
			if get.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("%s with %q: Content-Length %q for %d bytes", file, tc.accept, get.Header.Get("Content-Length"), len(body))
			}
			head, hb := f.fetchEncoded(t, http.MethodHead, "/assets/0/"+file, tc.accept)
			for _, k := range []string{"Content-Encoding", "Content-Length", "Content-Type", "Vary"} {
				if head.Header.Get(k) != get.Header.Get(k) {
					t.Errorf("%s with %q: HEAD %s %q, GET %q", file, tc.accept, k, head.Header.Get(k), get.Header.Get(k))
				}
			}
			if len(hb) != 0 {
				t.Errorf("HEAD %s: %d bytes of body", file, len(hb))
			}
		}
	}
}

// TestAnswersCompressed: pages and JSON answers are gzipped for a client that
// accepts it and plain for one that does not; HEAD is never compressed.
func TestAnswersCompressed(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct{ path, ctype, marker string }{
		{"/", "text/html", "<html"},
		{"/api/v1/openapi.json", "application/json", `"openapi"`},
	} {
		plain, pb := f.fetchEncoded(t, http.MethodGet, tc.path, "identity")
		if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" || !strings.Contains(string(pb), tc.marker) {
			t.Fatalf("%s plain: %d %q", tc.path, plain.StatusCode, plain.Header.Get("Content-Encoding"))
		}
		gz, gb := f.fetchEncoded(t, http.MethodGet, tc.path, "gzip")
		if gz.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(gz.Header.Get("Content-Type"), tc.ctype) {
			t.Fatalf("%s: Content-Encoding %q, Content-Type %q", tc.path, gz.Header.Get("Content-Encoding"), gz.Header.Get("Content-Type"))
		}
		if !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q", tc.path, gz.Header.Get("Vary"))
		}
		if got := decode(t, "gzip", gb); !strings.Contains(string(got), tc.marker) || len(gb) >= len(got) {
			t.Errorf("%s: %d gzip bytes decode to %d", tc.path, len(gb), len(got))
		}
		head, hb := f.fetchEncoded(t, http.MethodHead, tc.path, "gzip")
		if head.StatusCode != 200 || head.Header.Get("Content-Encoding") != "" || len(hb) != 0 {
			t.Errorf("HEAD %s: %d, Content-Encoding %q, %d bytes", tc.path, head.StatusCode, head.Header.Get("Content-Encoding"), len(hb))
		}
	}
}

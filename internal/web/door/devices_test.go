package door_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
)

func TestDeviceAdminPages(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 1)
	ts := newServer(t, st)
	coord := f.User(t, auth.RoleCoordinator)
	c, csrf := session(t, st, ts, coord.ID)

	code, _, page := call(t, c, http.MethodGet, ts.URL+"/admin/devices?event="+f.A.Slug, nil)
	if code != 200 || !strings.Contains(page, `name="name"`) {
		t.Fatalf("device page %d", code)
	}
	form := url.Values{"csrf_token": {csrf}, "event": {f.A.Slug}, "name": {`Door <script>alert(1)</script>`}}
	code, _, page = call(t, c, http.MethodPost, ts.URL+"/admin/devices", form.Encode())
	if code != 200 {
		t.Fatalf("create device: %d", code)
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatal("device name rendered as markup")
	}
	m := regexp.MustCompile(`value="(https://door\.example\.org/door/pair#(att_[a-z2-7]+))"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("no pairing link and QR code on the page")
	}
	token := m[2]
	if code, _, _ := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/bundle", nil, bearer(token)...); code != 200 {
		t.Fatalf("paired token: %d", code)
	}
	// Same name twice: a localized field error, nothing stored.
	code, _, page = call(t, c, http.MethodPost, ts.URL+"/admin/devices", form.Encode())
	if code != 422 || !strings.Contains(page, "already has a device") {
		t.Fatalf("duplicate name: %d", code)
	}
	// Without the CSRF token: refused.
	if code, _, _ := call(t, c, http.MethodPost, ts.URL+"/admin/devices", url.Values{"event": {f.A.Slug}, "name": {"X"}}.Encode()); code != 403 {
		t.Fatalf("no CSRF: %d", code)
	}
	ds, err := st.Devices(t.Context(), st.DB, f.A.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("%d devices (%v)", len(ds), err)
	}
	code, _, _ = call(t, c, http.MethodPost, ts.URL+"/admin/devices/"+itoa(ds[0].ID)+"/revoke", url.Values{"csrf_token": {csrf}}.Encode())
	if code != 303 {
		t.Fatalf("revoke: %d", code)
	}
	if code, _, _ := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/bundle", nil, bearer(token)...); code != 401 {
		t.Fatalf("revoked token: %d", code)
	}
	var n int
	if err := st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action IN ('device.create', 'device.revoke')`); err != nil || n != 2 {
		t.Fatalf("%d device audit entries (%v)", n, err)
	}
	// The live counts screen for the coordinator.
	code, _, page = call(t, c, http.MethodGet, ts.URL+"/door/live?event="+f.A.Slug, nil)
	if code != 200 || !strings.Contains(page, "data-count=\"admitted\"") {
		t.Fatalf("live page %d", code)
	}
}

func TestScannerPagesAndPWA(t *testing.T) {
	st := dbtest.Open(t)
	ts := newServer(t, st)
	code, _, page := call(t, nil, http.MethodGet, ts.URL+"/door/scan", nil, "Accept-Language", "ru")
	if code != 200 || !strings.Contains(page, `<video id="door-video" playsinline muted autoplay`) || !strings.Contains(page, "Сканер на входе") {
		t.Fatalf("scanner page %d", code)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, " style=") {
		t.Fatal("inline script or style on the scanner page")
	}
	code, _, sw := call(t, nil, http.MethodGet, ts.URL+"/door/sw.js", nil)
	if code != 200 || !strings.Contains(sw, "const PRECACHE = [") || !strings.Contains(sw, "zxing_reader.wasm") || !strings.Contains(sw, "/door/scan") {
		t.Fatalf("service worker %d", code)
	}
	code, man, _ := call(t, nil, http.MethodGet, ts.URL+"/door/manifest.webmanifest", nil)
	if code != 200 || man["start_url"] != "/door/scan" || man["scope"] != "/door/" {
		t.Fatalf("manifest %d %v", code, man)
	}
	for _, icon := range []string{"/door/icon-192.png", "/door/icon-512.png"} {
		resp, err := http.Get(ts.URL + icon)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.DecodeConfig(resp.Body)
		resp.Body.Close()
		if err != nil || img.Width != img.Height || !strings.Contains(icon, itoa(int64(img.Width))) {
			t.Fatalf("%s: %v %+v", icon, err, img)
		}
	}
	code, _, page = call(t, nil, http.MethodGet, ts.URL+"/door/pair", nil)
	if code != 200 || !strings.Contains(page, "door/pair.js") {
		t.Fatalf("pair page %d", code)
	}
	// The layout's language links (/lv/door/scan) set the language and come back.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(ts.URL + "/lv/door/scan")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/door/scan" {
		t.Fatalf("language link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Not signed in: the live screen asks to sign in.
	if code, _, _ := call(t, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		http.MethodGet, ts.URL+"/door/live", nil); code != 303 {
		t.Fatalf("live screen without sign-in: %d", code)
	}
}

// The served decoder must be the exact build the barcode-detector package
// pins, or detection fails at run time ("Barcode detection service unavailable").
func TestServedWasmMatchesPackage(t *testing.T) {
	st := dbtest.Open(t)
	ts := newServer(t, st)
	_, _, page := call(t, nil, http.MethodGet, ts.URL+"/door/scan", nil)
	wasmURL := html.UnescapeString(regexp.MustCompile(`data-wasm="([^"]+)"`).FindStringSubmatch(page)[1])
	ponyURL := html.UnescapeString(regexp.MustCompile(`data-ponyfill="([^"]+)"`).FindStringSubmatch(page)[1])
	resp, err := http.Get(ts.URL + wasmURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("wasm: %d %s (run .ci/assets.sh to copy the vendor files)", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		t.Fatal(err)
	}
	got := hex.EncodeToString(h.Sum(nil))
	// The package's ES build re-exports zxing-wasm's ZXING_WASM_SHA256, a
	// literal in the module the ponyfill imports.
	code, _, pony := call(t, nil, http.MethodGet, ts.URL+ponyURL, nil)
	if code != 200 || !strings.Contains(pony, "ZXING_WASM_SHA256") {
		t.Fatalf("ponyfill %d", code)
	}
	exported := strings.Replace(ponyURL, "ponyfill.js", "zxing-exported.js", 1)
	_, _, js := call(t, nil, http.MethodGet, ts.URL+exported, nil)
	want := regexp.MustCompile(`"([0-9a-f]{64})"`).FindStringSubmatch(js)
	if want == nil {
		t.Fatal("no SHA-256 literal in zxing-exported.js")
	}
	if got != want[1] {
		t.Fatalf("served wasm %s, package expects %s", got, want[1])
	}
	// And the versions are pinned exactly.
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	raw, err := os.ReadFile("../../../assets/package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &pkg); err != nil || pkg.Dependencies["barcode-detector"] != "3.2.2" {
		t.Fatalf("barcode-detector is not pinned to 3.2.2: %v %v", pkg.Dependencies, err)
	}
	lock, err := os.ReadFile("../../../assets/package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`"node_modules/zxing-wasm":\s*\{\s*"version":\s*"3\.1\.3"`).Match(lock) {
		t.Fatal("package-lock.json does not pin zxing-wasm 3.1.3")
	}
}

func itoa(n int64) string { return strconvFormat(n) }

func TestOpenAPIDocumentsDoor(t *testing.T) {
	st := dbtest.Open(t)
	ts := newServer(t, st)
	code, doc, _ := call(t, nil, http.MethodGet, ts.URL+"/api/v1/openapi.json", nil)
	if code != 200 {
		t.Fatalf("openapi %d", code)
	}
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/scans", "/scans/batch", "/door/bundle", "/door/counts", "/door/search", "/door/admit", "/door/walkins", "/door/undo"} {
		if paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	enum := doc["components"].(map[string]any)["schemas"].(map[string]any)["ScanResult"].(map[string]any)["properties"].(map[string]any)["result"].(map[string]any)["enum"].([]any)
	if len(enum) != 9 { // with exited and not_inside (in and out)
		t.Fatalf("result enum %v", enum)
	}
}

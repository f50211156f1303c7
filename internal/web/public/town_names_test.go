package public_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/web/webtest"
)

// TestTownInReadersLanguage: the home list and the event page name the
// demo's Lodz event's town as the reader's language does (Łódź in Polish,
// Lodzė in Lithuanian), never as the bare typed "Lodz".
func TestTownInReadersLanguage(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	for lang, town := range map[string]string{"pl": "Łódź", "lt": "Lodzė"} {
		for _, path := range []string{"/" + lang + "/", "/" + lang + "/events/decode-4-lodz"} {
			body := get(path)
			if !strings.Contains(body, "<dd>"+town+", ") {
				t.Errorf("%s: no place line with %q", path, town)
			}
			if strings.Contains(body, "<dd>Lodz, ") {
				t.Errorf("%s: place line names the bare typed town Lodz", path)
			}
		}
	}
}

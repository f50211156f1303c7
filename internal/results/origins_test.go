package results_test

import (
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/results"
)

// The sites allowed to frame the results are https origins and nothing
// wider: no wildcard, no scheme alone, no path, no hostile bytes.
func TestParseOrigins(t *testing.T) {
	got, err := results.ParseOrigins(" https://www.Vejle.dk/\nhttps://cuenca.es:8443, https://www.vejle.dk\r\n\n")
	if err != nil || strings.Join(got, " ") != "https://www.vejle.dk https://cuenca.es:8443" {
		t.Fatalf("good origins: %q %v", got, err)
	}
	if got, err := results.ParseOrigins("  \n "); err != nil || len(got) != 0 {
		t.Fatalf("none: %q %v", got, err)
	}
	if results.FrameAncestors(nil) != "'none'" || results.FrameAncestors([]string{"https://a.lv", "https://b.lv"}) != "https://a.lv https://b.lv" {
		t.Fatal("frame-ancestors source list")
	}
	for _, bad := range []string{"https:", "https://*", "https://*.vejle.dk", "*", "http://www.vejle.dk", "'self'",
		"https://www.vejle.dk/results", "https://www.vejle.dk?x=1", "https://user@www.vejle.dk", "www.vejle.dk",
		"https://www.vejle.dk:99999", "https://vejle", "javascript:alert(1)", "https://www.vejle.dk\x00",
		"https://\xff\xfe.dk", "https://www.vejle.dk;frame-ancestors", "https://" + strings.Repeat("a", 300) + ".dk",
		"https://ø.dk"} {
		_, err := results.ParseOrigins(bad)
		if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["embed_origins"] != "results.admin.error.origin" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	many := ""
	for i := range 21 {
		many += "https://s" + string(rune('a'+i)) + ".example.org\n"
	}
	if _, err := results.ParseOrigins(many); err == nil {
		t.Fatal("21 sites accepted")
	}
}

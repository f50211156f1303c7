package httpx_test

import (
	"testing"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// HostileTargets lead a browser off this site, directly or after the
// normalisation browsers apply (TAB, CR, LF dropped; "\" read as "/").
var hostileTargets = []string{
	"", "evil.example", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
	"/\t/evil.example", "/\r/evil.example", "/\n/evil.example", "\t//evil.example", "/\t\\evil.example",
	"/ad\tmin/", " //evil.example", "\x00/admin/", "/\x7f/evil.example",
	"http://evil.example/", "https:evil.example", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
	"/%09/evil.example", "/%0d/evil.example", "/%0A/evil.example", "/%2F/evil.example", "/%2f%2fevil.example",
	"/%5Cevil.example", "%2F%2Fevil.example", "/%zz", "/" + string(make([]byte, 600)),
}

func TestSafePathRefuses(t *testing.T) {
	for _, target := range hostileTargets {
		if got := httpx.SafePath(target); got != "" {
			t.Errorf("SafePath(%q) = %q, want refused", target, got)
		}
	}
}

func TestSafePathKeeps(t *testing.T) {
	for _, target := range []string{"/", "/admin/", "/admin/users", "/door/live", "/admin/reports/events/x?day=2019-05-28&q=J%C3%A4nis",
		"/partner/delegations/7?done=1", "/admin/audit?q=a%2Fb", "/lv/events/kick-off"} {
		if got := httpx.SafePath(target); got != target {
			t.Errorf("SafePath(%q) = %q, want kept", target, got)
		}
	}
}

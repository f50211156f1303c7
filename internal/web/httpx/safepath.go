package httpx

import (
	"net/url"
	"strings"
)

// SafePath returns target when a browser following it stays on this site (a
// path such as "/admin/users?day=2"), else "". Every redirect to a target that
// came from a request (next=, language links) goes through it.
//
// Browsers drop TAB, CR and LF anywhere in a URL and read "\" as "/" (WHATWG
// URL), so "/\t/evil.example" and "/\evil.example" lead to another host; any
// control character or backslash is refused, as is "//". The target is checked
// once more after percent-decoding, so a later decoding step (a proxy, another
// redirect) cannot turn "/%09/evil.example" into one of those either.
func SafePath(target string) string {
	if len(target) > 500 || !localPath(target) {
		return ""
	}
	dec, err := url.PathUnescape(target)
	if err != nil || !localPath(dec) {
		return ""
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return target
}

// localPath: starts with one "/", holds no control character and no backslash.
func localPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

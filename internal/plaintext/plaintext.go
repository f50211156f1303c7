// Package plaintext says what text the application accepts from anyone: valid
// UTF-8 without control characters. PostgreSQL refuses NUL and invalid UTF-8
// outright, and the other control characters (C0, DEL, C1) have no place in
// names, addresses or reasons; line breaks and tabs only in multi-line fields.
package plaintext

import (
	"unicode"
	"unicode/utf8"
)

// Valid reports whether s is valid UTF-8 free of control characters, CR, LF
// and TAB allowed only when multiline.
func Valid(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

package ticketcode

import (
	"crypto/rand"
	"strings"
)

// codeChars has 32 symbols, so 5 random bits map to one character without
// bias. It leaves out 0/O and 1/I, which people misread at the desk.
const codeChars = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// CodeLen is the length of a ticket code.
const CodeLen = 8

// NewCode returns a random 8-character ticket code for looking a ticket up by
// hand (40 bits; it identifies, it does not authorise).
func NewCode() string {
	var b [CodeLen]byte
	rand.Read(b[:]) // never fails since Go 1.24
	for i, v := range b {
		b[i] = codeChars[v&31]
	}
	return string(b[:])
}

// NormalizeCode turns typed input ("abcd-2345", " ABCD 2345 ") into a code,
// reporting false if it cannot be one.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	if len(s) != CodeLen {
		return "", false
	}
	for i := range len(s) {
		if strings.IndexByte(codeChars, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

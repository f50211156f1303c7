package pdfdoc

import (
	"strings"
	"sync"
	"unicode"

	"github.com/signintech/gopdf/fontmaker/core"
	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/assets/fonts"
)

// coverage is the set of runes both embedded faces map to a glyph, read from
// their cmap with the same parser gopdf renders with, so a rune kept by Clean
// is one gopdf can draw in either style.
var coverage = sync.OnceValue(func() map[rune]bool {
	faces := [][]byte{fonts.Regular, fonts.Bold}
	var maps []map[int]uint
	for _, data := range faces {
		var p core.TTFParser
		if err := p.ParseFontData(data); err != nil {
			// The fonts are embedded at build time; a parse failure is a
			// broken build, not a runtime condition.
			panic("pdfdoc: embedded font: " + err.Error())
		}
		maps = append(maps, p.Chars())
	}
	set := make(map[rune]bool, len(maps[0]))
	for r, g := range maps[0] {
		if g != 0 && maps[1][r] != 0 {
			set[rune(r)] = true
		}
	}
	return set
})

// Covered reports whether r has a glyph in the embedded fonts.
func Covered(r rune) bool { return coverage()[r] }

// Clean prepares user text for the PDF: NFC normalisation (a name typed as
// "e" + combining accent becomes one precomposed letter the font has), tabs
// and other spaces become plain spaces, CR LF becomes LF, and control and
// format characters, variation selectors and anything the font lacks (emoji,
// most scripts beyond Latin, Greek and Cyrillic) are dropped rather than
// printed as empty boxes.
func Clean(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case unicode.IsSpace(r) && r != '\u00a0':
			b.WriteByte(' ')
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Variation_Selector):
		case Covered(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

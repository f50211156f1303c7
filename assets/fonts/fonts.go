// Package fonts embeds the TrueType fonts used for generated PDFs.
//
// DejaVu Sans (Debian fonts-dejavu-core 2.37) covers Latin with all
// diacritics used by the partner countries, Greek and Cyrillic, so names
// print as typed. Licence: LICENSE-DejaVu.txt beside this file.
package fonts

import _ "embed"

// Regular is DejaVuSans.ttf.
//
//go:embed DejaVuSans.ttf
var Regular []byte

// Bold is DejaVuSans-Bold.ttf.
//
//go:embed DejaVuSans-Bold.ttf
var Bold []byte

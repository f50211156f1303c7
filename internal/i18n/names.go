package i18n

import (
	"slices"

	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country and language names come from the CLDR data shipped in
// golang.org/x/text/language/display. That data is CLDR 32 (2017) and
// predates some renames, so nameOverrides holds what current CLDR (48)
// says where the two differ for a renamed state; everything else is CLDR as
// shipped. TestCountryOverridesStillNeeded fails once x/text catches up, so
// the table shrinks rather than goes stale.
//
// English follows the contract (North Macedonia, Eswatini, Türkiye),
// which current CLDR English also uses. Lithuanian keeps CLDR's "Svazilandas"
// for SZ: current CLDR has not renamed it either.
var nameOverrides = map[string]map[string]string{
	// Republic of North Macedonia since February 2019 (Prespa agreement).
	"MK": {
		"lv": "Ziemeļmaķedonija", "en": "North Macedonia", "ru": "Северная Македония",
		"lt": "Šiaurės Makedonija", "pl": "Macedonia Północna", "de": "Nordmazedonien",
		"ro": "Macedonia de Nord", "it": "Macedonia del Nord", "da": "Nordmakedonien",
		"es": "Macedonia del Norte",
	},
	// Kingdom of Eswatini since April 2018.
	"SZ": {
		"lv": "Svatini", "en": "Eswatini", "ru": "Эсватини", "pl": "Eswatini", "de": "Eswatini",
		"ro": "Eswatini", "it": "Eswatini", "da": "Eswatini", "es": "Esuatini",
	},
	// Türkiye asked the UN to use this name in June 2022; other languages keep their own.
	"TR": {"en": "Türkiye"},
	// Danish CLDR now follows the states' own requests (Belarus; the Netherlands, not only Holland).
	"BY": {"da": "Belarus"},
	"NL": {"da": "Nederlandene"},
}

// Country returns the name of an ISO 3166-1 alpha-2 country in this language,
// or the code when CLDR has none.
func (l *Localizer) Country(code string) string {
	if n := nameOverrides[code][l.Lang]; n != "" {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := l.regions.Name(r); n != "" {
		return n
	}
	return code
}

// Language returns the name of a language (a code of Languages) in this
// language: "latviešu" for lv in Latvian, "Latvian" in English.
func (l *Localizer) Language(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := l.languages.Name(t); n != "" {
		return n
	}
	return code
}

// Endonym is a language's name in itself, capitalised as a menu item
// ("Latviešu", "Русский"), for language pickers: a reader finds their own
// language whatever the page's language is.
func Endonym(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	n := display.Self.Name(t)
	if n == "" {
		return code
	}
	// CLDR names languages in lower case mid-sentence; a menu starts with a capital.
	r := []rune(n)
	return cases.Upper(t).String(string(r[0])) + string(r[1:])
}

// Named is a code with its display name.
type Named struct{ Code, Name string }

// Countries names codes in this language and sorts them the way this
// language sorts (CLDR collation: Latvian puts Č after C, Š after S).
func (l *Localizer) Countries(codes []string) []Named {
	out := make([]Named, len(codes))
	for i, c := range codes {
		out[i] = Named{c, l.Country(c)}
	}
	// A Collator keeps buffers, so one per call rather than one shared.
	col := collate.New(l.tag, collate.Loose)
	slices.SortStableFunc(out, func(a, b Named) int { return col.CompareString(a.Name, b.Name) })
	return out
}

package i18n

import (
	"slices"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The renamed states of the issue and a few neighbours, in every language.
var namedCodes = []string{"MK", "SZ", "CZ", "TR", "LV", "LT", "DE", "GB", "UA", "GE", "PT"}

func TestCountryNamesEveryLanguage(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Localizer("en")
	for _, lang := range Languages {
		l := b.Localizer(lang)
		for _, code := range namedCodes {
			got := l.Country(code)
			if got == "" || got == code {
				t.Errorf("%s: Country(%s) = %q, want a name", lang, code, got)
			}
			// Where CLDR names the country in lang differently from English,
			// the English name showing would mean a silent fallback.
			cldr := display.Regions(language.MustParse(lang)).Name(language.MustParseRegion(code))
			cldrEn := display.English.Regions().Name(language.MustParseRegion(code))
			_, chosen := nameOverrides[code][lang] // "Eswatini" is German too
			if lang != "en" && !chosen && cldr != cldrEn && got == en.Country(code) {
				t.Errorf("%s: Country(%s) = %q, the English name", lang, code, got)
			}
		}
	}
}

func TestCountryNamesCurrent(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Localizer("en")
	for code, want := range map[string]string{"MK": "North Macedonia", "SZ": "Eswatini", "CZ": "Czechia", "TR": "Türkiye"} {
		if got := en.Country(code); got != want {
			t.Errorf("en: Country(%s) = %q, want %q", code, got, want)
		}
	}
	lv := b.Localizer("lv")
	for code, old := range map[string]string{"MK": "Maķedonija", "SZ": "Svazilenda"} {
		if got := lv.Country(code); got == old {
			t.Errorf("lv: Country(%s) is still the old name %q", code, got)
		}
	}
	for lang, want := range map[string]string{"lv": "Ziemeļmaķedonija", "ru": "Северная Македония", "de": "Nordmazedonien", "es": "Macedonia del Norte"} {
		if got := b.Localizer(lang).Country("MK"); got != want {
			t.Errorf("%s: Country(MK) = %q, want %q", lang, got, want)
		}
	}
}

// An override equal to what x/text ships is dead weight: remove it when this fails.
func TestCountryOverridesStillNeeded(t *testing.T) {
	for code, byLang := range nameOverrides {
		for lang, name := range byLang {
			if !slices.Contains(Languages, lang) {
				t.Errorf("override %s/%s: not a site language", code, lang)
			}
			shipped := display.Regions(language.MustParse(lang)).Name(language.MustParseRegion(code))
			if shipped == name {
				t.Errorf("override %s/%s = %q is what x/text now ships; remove it", code, lang, name)
			}
		}
	}
}

func names(ns []Named) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

// Sorting follows each language's collation, not byte order: in Latvian Č is
// a letter of its own between C and D, Ķ follows K and Š follows S.
func TestCountriesSortedByCollation(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"DK", "CZ", "CF", "CN", "CY", "CH", "SE", "SK", "AT"}
	for lang, want := range map[string][]string{
		// Centrālāfrikas Republika < Čehija < Dānija; Kipra < Ķīna; Slovākija < Šveice < Zviedrija.
		"lv": {"Austrija", "Centrālāfrikas Republika", "Čehija", "Dānija", "Kipra", "Ķīna", "Slovākija", "Šveice", "Zviedrija"},
		// Danish sorts Ø after Z: Østrig last.
		"da": {"Cypern", "Danmark", "Den Centralafrikanske Republik", "Kina", "Schweiz", "Slovakiet", "Sverige", "Tjekkiet", "Østrig"},
	} {
		got := names(b.Localizer(lang).Countries(codes))
		if !slices.Equal(got, want) {
			t.Errorf("%s: sorted %q, want %q", lang, got, want)
		}
	}
	// Byte order would put Č after every ASCII letter; collation must not.
	lv := names(b.Localizer("lv").Countries([]string{"CZ", "DK"}))
	if lv[0] != "Čehija" {
		t.Errorf("lv: Čehija should sort before Dānija, got %q", lv)
	}
}

func TestLanguageNames(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"lv": "Latviešu", "en": "English", "ru": "Русский", "lt": "Lietuvių",
		"pl": "Polski", "de": "Deutsch", "ro": "Română", "it": "Italiano", "da": "Dansk", "es": "Español"} {
		if got := Endonym(lang); got != want {
			t.Errorf("Endonym(%s) = %q, want %q", lang, got, want)
		}
	}
	for _, lang := range Languages {
		for _, code := range Languages {
			if got := b.Localizer(lang).Language(code); got == "" || got == code {
				t.Errorf("%s: Language(%s) = %q", lang, code, got)
			}
		}
	}
	if got := b.Localizer("en").Language("lv"); got != "Latvian" {
		t.Errorf("en: Language(lv) = %q", got)
	}
	if got := b.Localizer("lv").Language("de"); got != "vācu" {
		t.Errorf("lv: Language(de) = %q", got)
	}
}

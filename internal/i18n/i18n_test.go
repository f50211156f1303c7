package i18n

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCataloguesComplete(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Keys(Fallback)
	if len(en) == 0 {
		t.Fatal("English catalogue is empty")
	}
	for _, lang := range Languages {
		keys := b.Keys(lang)
		full := slices.Contains(FullLanguages, lang)
		for key, area := range en {
			if !full && !slices.Contains(PublicAreas, area) {
				continue
			}
			if _, ok := keys[key]; !ok {
				t.Errorf("%s: missing key %q (area %s)", lang, key, area)
				continue
			}
			enForms := b.PluralForms(Fallback, key)
			forms := b.PluralForms(lang, key)
			if (enForms == nil) != (forms == nil) {
				t.Errorf("%s: %q is plural in one language and not in the other", lang, key)
				continue
			}
			if forms == nil {
				continue
			}
			for _, need := range RequiredForms(lang) {
				if !slices.Contains(forms, need) {
					t.Errorf("%s: %q lacks plural form %q", lang, key, need)
				}
			}
			for _, f := range forms {
				if !slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, f) {
					t.Errorf("%s: %q has unknown plural form %q", lang, key, f)
				}
			}
		}
		for key := range keys {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: key %q is not in the English catalogue", lang, key)
			}
		}
	}
}

func TestPlurals(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 place left"},
		{"en", 2, "2 places left"},
		{"lv", 1, "Atlikusi 1 vieta"},
		{"lv", 21, "Atlikusi 21 vieta"},
		{"lv", 11, "Atlikušas 11 vietas"},
		{"ru", 1, "Осталось 1 место"},
		{"ru", 3, "Осталось 3 места"},
		{"ru", 5, "Осталось 5 мест"},
		{"ru", 22, "Осталось 22 места"},
		{"pl", 5, "Zostało 5 miejsc"},
	}
	for _, c := range cases {
		if got := b.Localizer(c.lang).N("event.places_left", c.n); got != c.want {
			t.Errorf("%s %d: got %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := RequiredForms("lv"); !slices.Equal(got, []string{"one", "other", "zero"}) {
		t.Errorf("lv forms: %v", got)
	}
	if got := RequiredForms("ru"); !slices.Equal(got, []string{"few", "many", "one", "other"}) {
		t.Errorf("ru forms: %v", got)
	}
}

func TestMatchAndFormat(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for header, want := range map[string]string{
		"lv-LV,lv;q=0.9,en;q=0.5": "lv",
		"ru":                      "ru",
		"de-AT":                   "de",
		"ja":                      "en",
		"":                        "en",
		"garbage;;;":              "en",
	} {
		if got := b.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
	d := time.Date(2018, 5, 23, 0, 0, 0, 0, time.UTC)
	if got := b.Localizer("lv").Date(d); got != "23.05.2018." {
		t.Errorf("lv date: %q", got)
	}
	if got := b.Localizer("en").Date(d); got != "23 May 2018" {
		t.Errorf("en date: %q", got)
	}
	if got := b.Localizer("de").Number(12345); got != "12.345" {
		t.Errorf("de number: %q", got)
	}
	if got := b.Localizer("en").T("error.internal.body", "request_id", "abc"); !strings.Contains(got, "abc") {
		t.Errorf("placeholder not filled: %q", got)
	}
	if got := b.Localizer("xx").T("nav.home"); got != "Home" {
		t.Errorf("unsupported language should fall back to English, got %q", got)
	}
}

func TestCountryNames(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "Latvia", "lv": "Latvija", "ru": "Латвия", "de": "Lettland", "lt": "Latvija"} {
		if got := b.Localizer(lang).Country("LV"); got != want {
			t.Errorf("%s: Country(LV) = %q, want %q", lang, got, want)
		}
	}
	if got := b.Localizer("en").Country("??"); got != "??" {
		t.Errorf("bad code: %q", got)
	}
}

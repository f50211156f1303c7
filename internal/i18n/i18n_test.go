package i18n

import (
	"strings"
	"testing"
	"time"
)

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
	if got := b.Localizer("xx").T("staff.nav.events"); got != "Events" {
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

package door

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/decode-attend/attend/internal/i18n"
)

// walkInCountries are offered first in the walk-in form: the programme's
// partner countries and the eligible countries of Europe for Citizens; any
// other country can still be typed as a code.
var walkInCountries = []string{
	"LV", "LT", "PL", "DE", "RO", "IT", "DK", "ES", "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "GR",
	"HU", "IE", "LU", "MT", "NL", "PT", "SK", "SI", "SE", "GB", "AL", "BA", "MK", "ME", "RS", "XK", "UA", "BY",
	"RU", "GE", "MD", "NO", "CH", "IS", "TR", "US",
}

func countries(l *i18n.Localizer) []country {
	out := make([]country, 0, len(walkInCountries))
	for _, c := range walkInCountries {
		out = append(out, country{Code: c, Name: l.Country(c)})
	}
	col := collate.New(language.Make(l.Lang))
	sort.SliceStable(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	return out
}

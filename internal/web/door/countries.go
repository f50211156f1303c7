package door

import (
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
	named := l.Countries(walkInCountries)
	out := make([]country, len(named))
	for i, n := range named {
		out[i] = country{Code: n.Code, Name: n.Name}
	}
	return out
}

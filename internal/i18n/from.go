package i18n

// A country's name after "from" in the publishable text ("no Gruzijas", "из
// Грузии"). CLDR holds no grammatical cases, so the genitives of the
// countries the rule sets make eligible (EU 27, the United Kingdom, EEA and
// EFTA states, the candidate and associated countries) and of the neighbours
// who come as guests are written here; TestFromFormsCoverEligible fails when a
// rule set names a country without one. English needs only an article for a
// few names.
var fromForms = map[string]map[string]string{
	"en": {"NL": "the Netherlands", "GB": "the United Kingdom", "CZ": "Czechia", "BA": "Bosnia and Herzegovina"},
	"lv": {
		"AT": "Austrijas", "BE": "Beļģijas", "BG": "Bulgārijas", "HR": "Horvātijas", "CY": "Kipras", "CZ": "Čehijas",
		"DK": "Dānijas", "EE": "Igaunijas", "FI": "Somijas", "FR": "Francijas", "DE": "Vācijas", "GR": "Grieķijas",
		"HU": "Ungārijas", "IE": "Īrijas", "IT": "Itālijas", "LV": "Latvijas", "LT": "Lietuvas", "LU": "Luksemburgas",
		"MT": "Maltas", "NL": "Nīderlandes", "PL": "Polijas", "PT": "Portugāles", "RO": "Rumānijas", "SK": "Slovākijas",
		"SI": "Slovēnijas", "ES": "Spānijas", "SE": "Zviedrijas", "GB": "Lielbritānijas", "IS": "Islandes",
		"LI": "Lihtenšteinas", "NO": "Norvēģijas", "CH": "Šveices", "AL": "Albānijas", "BA": "Bosnijas un Hercegovinas",
		"ME": "Melnkalnes", "MK": "Ziemeļmaķedonijas", "RS": "Serbijas", "XK": "Kosovas", "UA": "Ukrainas",
		"MD": "Moldovas", "GE": "Gruzijas", "TR": "Turcijas", "BY": "Baltkrievijas", "AM": "Armēnijas",
		"AZ": "Azerbaidžānas", "RU": "Krievijas", "US": "Amerikas Savienotajām Valstīm",
	},
	"ru": {
		"AT": "Австрии", "BE": "Бельгии", "BG": "Болгарии", "HR": "Хорватии", "CY": "Кипра", "CZ": "Чехии",
		"DK": "Дании", "EE": "Эстонии", "FI": "Финляндии", "FR": "Франции", "DE": "Германии", "GR": "Греции",
		"HU": "Венгрии", "IE": "Ирландии", "IT": "Италии", "LV": "Латвии", "LT": "Литвы", "LU": "Люксембурга",
		"MT": "Мальты", "NL": "Нидерландов", "PL": "Польши", "PT": "Португалии", "RO": "Румынии", "SK": "Словакии",
		"SI": "Словении", "ES": "Испании", "SE": "Швеции", "GB": "Великобритании", "IS": "Исландии",
		"LI": "Лихтенштейна", "NO": "Норвегии", "CH": "Швейцарии", "AL": "Албании", "BA": "Боснии и Герцеговины",
		"ME": "Черногории", "MK": "Северной Македонии", "RS": "Сербии", "XK": "Косово", "UA": "Украины",
		"MD": "Молдовы", "GE": "Грузии", "TR": "Турции", "BY": "Беларуси", "AM": "Армении",
		"AZ": "Азербайджана", "RU": "России", "US": "США",
	},
}

// declines lists the languages whose "from" takes the genitive: a name
// without its genitive form cannot follow "from" directly.
var declines = map[string]bool{"lv": true, "lt": true, "pl": true, "ru": true}

// Declines reports whether this language puts a name after "from" in the
// genitive, so a town needs its "<lang>-gen" form.
func (l *Localizer) Declines() bool { return declines[l.Lang] }

// CountryFrom is the country's name as it follows "from" in this language,
// and false when that form is unknown (a declining language without the
// genitive): the caller then says "from the country X".
func (l *Localizer) CountryFrom(code string) (string, bool) {
	if n := fromForms[l.Lang][code]; n != "" {
		return n, true
	}
	if declines[l.Lang] {
		return "", false
	}
	return l.Country(code), true
}

// Package i18n holds the message catalogues and picks the visitor's language.
//
// Catalogues are JSON files locales/<lang>/<area>.json. A value is either a
// string or an object keyed by CLDR plural category ("zero", "one", "two",
// "few", "many", "other"). Placeholders are written {name}. English is the
// runtime fallback; tests fail on a missing key or plural form.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

//go:embed locales
var localesFS embed.FS

// Languages lists every supported language, Latvian first (the lead partner's).
var Languages = []string{"lv", "en", "ru", "lt", "pl", "de", "ro", "it", "da", "es"}

// PublicAreas must be complete in every language: public pages and e-mails.
var PublicAreas = []string{"core", "public", "mail", "ticketpage", "privacypublic", "doormode", "certificates", "results", "optout", "feedback", "questions"}

// FieldAreas are the screens of the people who work at the door and for the
// partners (scanner, desk, walk-in, signing desk, live counts, the partner
// coordinator's pages, sign-in and one's own account, and the menu around
// them). They too must be complete in every language, and are offered in all.
var FieldAreas = []string{"door", "partner", "signing", "admission", "staff", "account"}

// EveryLanguageAreas are the areas complete in all Languages.
func EveryLanguageAreas() []string { return append(slices.Clone(PublicAreas), FieldAreas...) }

// MinimumStaffLanguages must have every area, staff screens included.
var MinimumStaffLanguages = []string{"lv", "en", "ru"}

// FullLanguages have every screen translated, staff screens included: every
// language whose catalogue has all of the English keys. They are found from
// the catalogues themselves, so completing a language's staff areas offers
// it on the staff screens without a code change.
var FullLanguages = completeLanguages()

// QuantityPlaceholders are placeholder names that hold a number of things a
// word agrees with (people, places, minutes). A message holding one must be a
// plural object, and the number that chooses its form is always {count}; a
// second counted thing in the same sentence travels as an already translated
// plural phrase (see report.page.lists_note). Numbers no word agrees with are
// not quantities: ordinals and identifiers ({position}, {number}, {page},
// {id}, {version}), the "of" part of "3 of 5 events" ({met}, {total}: the
// noun goes with {count}) and thresholds such as "at least {value}".
var QuantityPlaceholders = []string{"count", "n", "minutes", "hours", "seconds", "days_count", "counted",
	"attended", "people", "places", "persons", "participants_count"}

// Fallback is used for keys missing in a language.
const Fallback = "en"

// entry is one message: a plain string or plural forms.
type entry struct {
	text   string
	plural map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.text)
	}
	return json.Unmarshal(b, &e.plural)
}

// readCatalogues parses the embedded files of lang: key -> entry, key -> area.
func readCatalogues(lang string) (map[string]entry, map[string]string, error) {
	msgs, areas := map[string]entry{}, map[string]string{}
	files, _ := fs.Glob(localesFS, "locales/"+lang+"/*.json")
	for _, f := range files {
		raw, err := localesFS.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		var m map[string]entry
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		area := strings.TrimSuffix(path.Base(f), ".json")
		for k, v := range m {
			if prev, dup := areas[k]; dup {
				return nil, nil, fmt.Errorf("i18n: key %q in both %s and %s (%s)", k, prev, area, lang)
			}
			msgs[k] = v
			areas[k] = area
		}
	}
	return msgs, areas, nil
}

// completeLanguages lists the languages whose catalogue holds every English
// key, in the order of Languages. A broken catalogue counts as incomplete
// (Load reports the error).
func completeLanguages() []string {
	en, _, err := readCatalogues(Fallback)
	if err != nil {
		return slices.Clone(MinimumStaffLanguages)
	}
	var out []string
	for _, lang := range Languages {
		msgs, _, err := readCatalogues(lang)
		if err != nil {
			continue
		}
		complete := true
		for k := range en {
			if _, ok := msgs[k]; !ok {
				complete = false
				break
			}
		}
		if complete {
			out = append(out, lang)
		}
	}
	return out
}

// Bundle is every catalogue, loaded once.
type Bundle struct {
	msgs  map[string]map[string]entry  // lang -> key -> entry
	areas map[string]map[string]string // lang -> key -> area (for tests)
	tags  []language.Tag
	match language.Matcher
	locs  map[string]*Localizer
}

// Load parses the embedded catalogues.
func Load() (*Bundle, error) {
	b := &Bundle{msgs: map[string]map[string]entry{}, areas: map[string]map[string]string{}, locs: map[string]*Localizer{}}
	for _, lang := range Languages {
		msgs, areas, err := readCatalogues(lang)
		if err != nil {
			return nil, err
		}
		b.msgs[lang], b.areas[lang] = msgs, areas
		b.tags = append(b.tags, language.MustParse(lang))
	}
	// English first in the matcher so that an unknown language falls back to it.
	tags := append([]language.Tag{language.English}, b.tags...)
	b.match = language.NewMatcher(tags)
	for _, lang := range Languages {
		tag := language.MustParse(lang)
		b.locs[lang] = &Localizer{b: b, Lang: lang, tag: tag, printer: message.NewPrinter(tag),
			regions: display.Regions(tag), languages: display.Languages(tag)}
	}
	return b, nil
}

// Supported reports whether lang is one of Languages.
func (b *Bundle) Supported(lang string) bool {
	_, ok := b.msgs[lang]
	return ok
}

// Localizer returns the translator for lang (English when unsupported).
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := b.locs[lang]; ok {
		return l
	}
	return b.locs[Fallback]
}

// Match picks the best supported language for an Accept-Language header.
func (b *Bundle) Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Fallback
	}
	_, idx, conf := b.match.Match(tags...)
	if conf == language.No || idx == 0 {
		return Fallback
	}
	return Languages[idx-1]
}

// Keys lists the keys of lang's catalogue with their area, for completeness tests.
func (b *Bundle) Keys(lang string) map[string]string {
	out := map[string]string{}
	for k, a := range b.areas[lang] {
		out[k] = a
	}
	return out
}

// PluralForms returns the plural categories defined for key in lang (nil if not plural).
func (b *Bundle) PluralForms(lang, key string) []string {
	e, ok := b.msgs[lang][key]
	if !ok || e.plural == nil {
		return nil
	}
	var out []string
	for k := range e.plural {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RequiredForms lists the CLDR plural categories lang uses for whole numbers, plus "other".
func RequiredForms(lang string) []string {
	tag := language.MustParse(lang)
	seen := map[string]bool{"other": true}
	for n := 0; n <= 1000; n++ {
		seen[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func formName(f plural.Form) string {
	switch f {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// Localizer translates into one language. It travels in template data
// ({{.L.T "key"}}), never as a shared template func.
type Localizer struct {
	b       *Bundle
	Lang    string
	tag     language.Tag
	printer *message.Printer
	// CLDR names in this language (x/text's namers, built once)
	regions   display.Namer
	languages display.Namer
}

// T translates key, replacing {name} placeholders from name/value pairs.
func (l *Localizer) T(key string, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	s := e.text
	if e.plural != nil {
		s = e.plural["other"]
	}
	return l.fill(s, args)
}

// N translates a plural message for count n; {count} is replaced by n.
func (l *Localizer) N(key string, n int, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	s := e.text
	if e.plural != nil {
		abs := n
		if abs < 0 {
			abs = -abs
		}
		form := formName(plural.Cardinal.MatchPlural(l.tag, abs, 0, 0, 0, 0))
		if s = e.plural[form]; s == "" {
			s = e.plural["other"]
		}
	}
	return l.fill(s, append([]any{"count", l.Number(n)}, args...))
}

// NF translates a plural message for a decimal number shown with the given
// number of fraction digits: CLDR chooses by the digits as shown (lv "1,5"
// has v=1, f=5 and takes "other"; lv "0,1" takes "one"). {count} is replaced
// by the number formatted in the language.
func (l *Localizer) NF(key string, x float64, decimals int, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	s := e.text
	if e.plural != nil {
		if s = e.plural[l.DecimalCategory(x, decimals)]; s == "" {
			s = e.plural["other"]
		}
	}
	return l.fill(s, append([]any{"count", l.Decimal(x, decimals)}, args...))
}

// DecimalCategory is the CLDR plural category of x shown with decimals
// fraction digits.
func (l *Localizer) DecimalCategory(x float64, decimals int) string {
	return formName(decimalForm(l.tag, x, decimals))
}

func decimalForm(tag language.Tag, x float64, decimals int) plural.Form {
	if x < 0 {
		x = -x
	}
	if decimals < 0 {
		decimals = 0
	}
	if decimals > 6 {
		decimals = 6
	}
	digits := strconv.FormatFloat(x, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(digits, ".")
	if len(intPart) > 9 {
		// The rules look at the last digits only; keep the integer in range.
		intPart = "1" + intPart[len(intPart)-6:]
	}
	i, _ := strconv.Atoi(intPart)
	f, _ := strconv.Atoi("0" + frac)
	trimmed := strings.TrimRight(frac, "0")
	t, _ := strconv.Atoi("0" + trimmed)
	return plural.Cardinal.MatchPlural(tag, i, len(frac), len(trimmed), f, t)
}

// Decimal formats x with the given number of fraction digits in the language.
func (l *Localizer) Decimal(x float64, decimals int) string {
	return l.printer.Sprintf("%.*f", decimals, x)
}

// Has reports whether key exists in this language or the fallback.
func (l *Localizer) Has(key string) bool {
	_, ok := l.lookup(key)
	return ok
}

func (l *Localizer) lookup(key string) (entry, bool) {
	if e, ok := l.b.msgs[l.Lang][key]; ok {
		return e, true
	}
	e, ok := l.b.msgs[Fallback][key]
	return e, ok
}

func (l *Localizer) fill(s string, args []any) string {
	if len(args) < 2 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Number formats an integer with the language's grouping.
func (l *Localizer) Number(n int) string { return l.printer.Sprintf("%d", n) }

// Percent formats a share (0.314) as a percentage with one decimal.
func (l *Localizer) Percent(share float64) string {
	return l.printer.Sprintf("%.1f", share*100) + "\u00a0%"
}

// Tag is the language tag.
func (l *Localizer) Tag() language.Tag { return l.tag }

// PluralCategory is the CLDR plural category of n in this language ("one",
// "few", ...), for scripts that choose among plural forms themselves.
func (l *Localizer) PluralCategory(n int) string {
	if n < 0 {
		n = -n
	}
	return formName(plural.Cardinal.MatchPlural(l.tag, n, 0, 0, 0, 0))
}

package registration

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

// ImportFields are the columns an import understands, in the order the
// admin's mapping offers them.
var ImportFields = []string{
	"first_name", "last_name", "email", "phone", "organisation", "city", "country",
	"participation", "partner", "language", "days", "attended",
}

// englishHeaders are further English names of the fields, beside the field
// names themselves and their labels in every catalogue.
var englishHeaders = map[string]string{
	"firstname": "first_name", "givenname": "first_name", "forename": "first_name", "name": "first_name",
	"lastname": "last_name", "surname": "last_name", "familyname": "last_name",
	"email": "email", "emailaddress": "email", "mail": "email",
	"phone": "phone", "telephone": "phone", "mobile": "phone", "phonenumber": "phone",
	"organisation": "organisation", "organization": "organisation", "institution": "organisation",
	"city": "city", "town": "city", "towncity": "city", "municipality": "city",
	"country": "country", "countrycode": "country",
	"participation": "participation", "type": "participation", "participanttype": "participation", "kind": "participation",
	"partner": "partner", "sendingpartner": "partner",
	"language": "language", "lang": "language",
	"days": "days", "registereddays": "days", "eventdays": "days",
	"attended": "attended", "attendance": "attended", "daysattended": "attended", "daysadmitted": "attended", "present": "attended",
}

// exportColumns maps the participants export's columns (report/export.go)
// to the import's fields; "" is a column of the export the import passes
// over (its number, status, signature ...), so a re-imported export has no
// unknown columns.
var exportColumns = map[string]string{
	"first_name": "first_name", "last_name": "last_name", "organisation": "organisation", "city": "city",
	"country": "country", "country_name": "country", "email": "email", "phone": "phone",
	"participation": "participation", "kind": "participation", "partner": "partner", "language": "language",
	"days_admitted": "attended",
	"no":            "", "number": "", "id": "", "status": "", "eligible": "", "first_admitted": "", "signed": "",
	"registered_at": "", "age_band": "", "gender": "",
}

// Headers recognises an import file's column headers: the field names and
// their English variants, the import screen's labels and the participants
// export's headers in every language, compared in sheetin.Normalize form
// (case, spacing and punctuation ignored).
type Headers struct {
	names map[string]string // normalised header -> field ("" : known, passed over)
	kinds map[string]string // normalised participant type -> participation
}

// NewHeaders builds the dictionary from the catalogues.
func NewHeaders(b *i18n.Bundle) *Headers {
	h := &Headers{names: map[string]string{}, kinds: map[string]string{}}
	add := func(m map[string]string, name, field string) {
		if k := sheetin.Normalize(name); k != "" {
			if _, dup := m[k]; !dup {
				m[k] = field
			}
		}
	}
	for _, f := range ImportFields {
		add(h.names, f, f)
	}
	for k, f := range englishHeaders {
		add(h.names, k, f)
	}
	for _, lang := range append([]string{"en"}, i18n.Languages...) {
		l := b.Localizer(lang)
		for _, f := range ImportFields {
			add(h.names, l.T("import.field."+f), f)
		}
		for col, f := range exportColumns {
			add(h.names, l.T("report.col."+col), f)
		}
		for _, p := range []store.Participation{store.Local, store.Invited, store.Other} {
			add(h.kinds, string(p), string(p))
			add(h.kinds, l.T("report.kind."+string(p)), string(p))
			add(h.kinds, l.T("import.participation."+string(p)), string(p))
		}
	}
	return h
}

// Columns gives the field of each header ("" : not imported) and the headers
// it does not know.
func (h *Headers) Columns(header []string) (fields []string, unknown []string) {
	fields = make([]string, len(header))
	for i, name := range header {
		f, ok := h.names[sheetin.Normalize(name)]
		if !ok && name != "" {
			unknown = append(unknown, name)
		}
		fields[i] = f
	}
	return fields, unknown
}

// participation reads a participation as written: the values, or the
// participant types of the export in any language.
func (h *Headers) participation(s string) string {
	if p, ok := h.kinds[sheetin.Normalize(s)]; ok {
		return p
	}
	return s
}

var (
	countryOnce  sync.Once
	countryNames map[string]string // normalised name -> ISO code
)

// CountryCode reads a country as people write it: an ISO 3166-1 code
// (alpha-2 or alpha-3), or its name in English, in any of the application's
// languages or in the country's own language. It returns s unchanged when it
// recognises nothing, for the validation to refuse.
func CountryCode(s string) string {
	t := strings.TrimSpace(s)
	if len(t) == 2 && ValidCountry(strings.ToUpper(t)) {
		return strings.ToUpper(t)
	}
	if len(t) == 3 {
		if r, err := language.ParseRegion(t); err == nil && ValidCountry(r.String()) {
			return r.String()
		}
	}
	countryOnce.Do(func() {
		countryNames = map[string]string{}
		namers := []display.Namer{display.English.Regions()}
		for _, lang := range i18n.Languages {
			if n := display.Regions(language.Make(lang)); n != nil {
				namers = append(namers, n)
			}
		}
		for _, code := range countryCodes {
			r := language.MustParseRegion(code)
			names := []string{display.Self.Name(r)}
			for _, n := range namers {
				names = append(names, n.Name(r))
			}
			// The local name: in the country's main language.
			if tag, err := language.Compose(language.Und, r); err == nil {
				base, _ := tag.Base()
				if n := display.Regions(language.Make(base.String())); n != nil {
					names = append(names, n.Name(r))
				}
			}
			for _, n := range names {
				if k := sheetin.Normalize(n); k != "" {
					if _, dup := countryNames[k]; !dup {
						countryNames[k] = code
					}
				}
			}
		}
		// Names people use that the CLDR lists differently.
		for k, code := range map[string]string{"uk": "GB", "greatbritain": "GB", "england": "GB", "czechrepublic": "CZ",
			"holland": "NL", "macedonia": "MK", "northmacedonia": "MK", "usa": "US", "kosovo": "XK"} {
			countryNames[k] = code
		}
	})
	if code, ok := countryNames[sheetin.Normalize(t)]; ok {
		return code
	}
	return t
}

// partnerSlug finds the partner a cell names: by slug, organisation, city
// (when one partner has it), or "Organisation (City)" as the export writes it.
// It returns s unchanged when none fits, for the validation to refuse.
func partnerSlug(partners []store.Partner, s string) string {
	k := sheetin.Normalize(s)
	if k == "" {
		return ""
	}
	for _, match := range []func(p store.Partner) bool{
		func(p store.Partner) bool { return p.Slug == strings.TrimSpace(s) || sheetin.Normalize(p.Slug) == k },
		func(p store.Partner) bool { return sheetin.Normalize(p.Organisation) == k },
		func(p store.Partner) bool { return sheetin.Normalize(p.Organisation+p.City) == k },
	} {
		for _, p := range partners {
			if match(p) {
				return p.Slug
			}
		}
	}
	found := ""
	for _, p := range partners {
		if sheetin.Normalize(p.City) == k {
			if found != "" {
				return s // two partners in the town: say which
			}
			found = p.Slug
		}
	}
	if found != "" {
		return found
	}
	return s
}

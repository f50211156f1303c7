package report

import (
	"html"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/i18n"
)

// Text is the publishable text in two forms: plain, and HTML to paste into
// the municipality's website.
type Text struct {
	Plain string `json:"plain"`
	HTML  string `json:"html"`
}

// textKey is a key of the publishable text's template; a language offers the
// text when its catalogue has the template itself (not the fallback's), with
// the forms its grammar needs (see i18n.CountryFrom).
const textKey = "report.pub.description_label"

// TextLanguages are the languages the publishable text is offered in.
func TextLanguages(b *i18n.Bundle) []string {
	var out []string
	for _, l := range i18n.Languages {
		if _, ok := b.Keys(l)[textKey]; ok {
			out = append(out, l)
		}
	}
	return out
}

// pubDate is the programme template's date form (23/05/2018) in every language.
const pubDate = "02/01/2006"

type section struct{ label, body string }

// Publishable writes an event's participation, place and dates and short
// description in the programme's template, in l's language. The total counts
// eligible participants only; each eligible country is one entry with its
// cities joined (the host country first); participants from other countries
// close the paragraph.
func Publishable(l *i18n.Localizer, er EventReport) Text {
	return join(eventSections(l, er))
}

// PublishableProject writes the text of every event of a project, each under
// its title.
func PublishableProject(l *i18n.Localizer, pr ProjectReport) Text {
	var plain, htm []string
	for _, er := range pr.Events {
		head := l.T("report.pub.event_heading", "number", er.Event.Number, "title", titleIn(er.Event.Title, l.Lang))
		t := Publishable(l, er)
		plain = append(plain, head+"\n"+t.Plain)
		htm = append(htm, "<h3>"+html.EscapeString(head)+"</h3>\n"+t.HTML)
	}
	return Text{Plain: strings.Join(plain, "\n\n"), HTML: strings.Join(htm, "\n")}
}

func titleIn(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	if s := m["en"]; s != "" {
		return s
	}
	for _, s := range m {
		return s
	}
	return ""
}

// Participation is the participation sentence(s) alone (for tests and the CLI).
func Participation(l *i18n.Localizer, c Counts) string {
	var b strings.Builder
	b.WriteString(l.N("report.pub.involved", c.Attended))
	var entries []string
	for _, cc := range c.ByCountry {
		entries = append(entries, l.N("report.pub.entry", cc.Attended, "from", from(l, c, cc)))
	}
	if len(entries) > 0 {
		b.WriteString(l.T("report.pub.notably"))
		b.WriteString(strings.Join(entries, ", "))
	}
	b.WriteString(".")
	if len(c.NonEligible) > 0 {
		var others []string
		for _, cc := range c.NonEligible {
			others = append(others, l.N("report.pub.other_entry", cc.Attended, "from", countryFrom(l, cc.Country)))
		}
		b.WriteString(" ")
		b.WriteString(l.T("report.pub.others_intro"))
		b.WriteString(" ")
		b.WriteString(strings.Join(others, ", "))
		b.WriteString(".")
	}
	return b.String()
}

// from is where a country's participants came from, as it follows "from":
// partner towns by their names in l's language ("no Kauņas (Lietuva)"), towns
// as participants typed them after "the city of" ("no pilsētas Rēzekne
// (Latvija)"), or the country alone ("no Portugāles").
func from(l *i18n.Localizer, c Counts, cc CountryCount) string {
	if len(cc.Cities) == 0 {
		return countryFrom(l, cc.Country)
	}
	country := l.Country(cc.Country)
	var names, forms []string
	known := true
	for _, city := range cc.Cities {
		name, form := placeName(l, c.PlaceNames[PlaceKey(cc.Country, city)], city)
		names, forms = append(names, name), append(forms, form)
		known = known && form != ""
	}
	if known {
		return l.T("report.pub.place_known", "city", strings.Join(forms, ", "), "country", country)
	}
	if len(names) == 1 {
		return l.T("report.pub.place_town", "city", names[0], "country", country)
	}
	return l.T("report.pub.place_towns", "cities", strings.Join(names, ", "), "country", country)
}

// placeName is a town's name in l's language (as typed when it is no partner
// town) and the form it takes after "from", "" when that form is unknown.
func placeName(l *i18n.Localizer, names map[string]string, typed string) (name, form string) {
	name = names[l.Lang]
	if name == "" {
		return typed, ""
	}
	if !l.Declines() {
		return name, name
	}
	return name, names[l.Lang+"-gen"]
}

// countryFrom is a country after "from": its own form ("Gruzijas"), else
// "the country X" in the nominative.
func countryFrom(l *i18n.Localizer, code string) string {
	if f, ok := l.CountryFrom(code); ok {
		return f
	}
	return l.T("report.pub.place_country", "country", l.Country(code))
}

func eventSections(l *i18n.Localizer, er EventReport) []section {
	city := er.Event.City
	if n := er.Event.CityTexts[l.Lang]; n != "" {
		city = n
	}
	city = strings.ToUpper(city)
	country := strings.ToUpper(l.Country(er.Event.Country))
	first, _ := time.Parse("2006-01-02", er.Event.FirstDay)
	last, _ := time.Parse("2006-01-02", er.Event.LastDay)
	var where string
	if first.Equal(last) {
		where = l.T("report.pub.location_one_day", "city", city, "country", country, "date", first.Format(pubDate))
	} else {
		where = l.T("report.pub.location", "city", city, "country", country,
			"from", first.Format(pubDate), "to", last.Format(pubDate))
	}
	return []section{
		{l.T("report.pub.participation_label"), Participation(l, er.Counts)},
		{l.T("report.pub.location_label"), where},
		{l.T("report.pub.description_label"), strings.TrimSpace(titleIn(er.Event.Description, l.Lang))},
	}
}

func join(ss []section) Text {
	var plain, htm []string
	for _, s := range ss {
		plain = append(plain, s.label+" "+s.body)
		htm = append(htm, "<p><strong>"+html.EscapeString(s.label)+"</strong> "+html.EscapeString(s.body)+"</p>")
	}
	return Text{Plain: strings.Join(plain, "\n"), HTML: strings.Join(htm, "\n")}
}

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
		country := l.Country(cc.Country)
		switch len(cc.Cities) {
		case 0:
			entries = append(entries, l.N("report.pub.entry_country", cc.Attended, "country", country))
		case 1:
			entries = append(entries, l.N("report.pub.entry_city", cc.Attended, "cities", cc.Cities[0], "country", country))
		default:
			entries = append(entries, l.N("report.pub.entry_cities", cc.Attended,
				"cities", strings.Join(cc.Cities, ", "), "country", country))
		}
	}
	if len(entries) > 0 {
		b.WriteString(l.T("report.pub.notably"))
		b.WriteString(strings.Join(entries, ", "))
	}
	b.WriteString(".")
	if len(c.NonEligible) > 0 {
		var others []string
		for _, cc := range c.NonEligible {
			others = append(others, l.N("report.pub.other_entry", cc.Attended, "country", l.Country(cc.Country)))
		}
		b.WriteString(" ")
		b.WriteString(l.T("report.pub.others_intro"))
		b.WriteString(" ")
		b.WriteString(strings.Join(others, ", "))
		b.WriteString(".")
	}
	return b.String()
}

func eventSections(l *i18n.Localizer, er EventReport) []section {
	city := strings.ToUpper(er.Event.City)
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

package tickets

import (
	"fmt"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/ics"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
)

// Document is what a ticket shows, already in the holder's language: the
// ticket page, the PDF and the ticket e-mail all render from it.
type Document struct {
	Lang         string
	Heading      string
	Name         string
	Organisation string
	Country      string
	Event        string
	Project      string
	Dates        string
	Venue        string // venue and address, city and country
	Days         []string
	Code         string
	Payload      string
	Status       string // registration status
	Labels       DocumentLabels
}

// DocumentLabels are the localized captions of a ticket.
type DocumentLabels struct {
	Name, Event, Dates, Venue, Days, Code, Show, Valid string
}

// NewDocument localizes a ticket for printing or display.
func NewDocument(l *i18n.Localizer, r store.Registration, e store.Event, t store.Ticket, project string) Document {
	d := Document{
		Lang:         l.Lang,
		Heading:      l.T("ticketpage.heading"),
		Name:         r.FullName(),
		Organisation: r.Organisation,
		Country:      l.Country(r.Country),
		Event:        e.Title.In(l.Lang),
		Project:      project,
		Dates:        l.DateRange(e.FirstDay, e.LastDay),
		Venue:        VenueLine(l, e),
		Code:         FormatCode(t.Code),
		Payload:      t.Payload,
		Status:       string(r.Status),
		Labels: DocumentLabels{
			Name: l.T("ticketpage.label.name"), Event: l.T("ticketpage.label.event"),
			Dates: l.T("ticketpage.label.dates"), Venue: l.T("ticketpage.label.venue"),
			Days: l.T("ticketpage.label.days"), Code: l.T("ticketpage.label.code"),
			Show: l.T("ticketpage.show_at_door"), Valid: l.N("ticketpage.valid_days", len(t.Days)),
		},
	}
	for _, s := range t.Days {
		if day, err := time.Parse("2006-01-02", s); err == nil {
			d.Days = append(d.Days, Weekday(l, day)+" "+l.Date(day))
		}
	}
	return d
}

// VenueLine joins venue, address, city and country into one line.
func VenueLine(l *i18n.Localizer, e store.Event) string {
	var parts []string
	venue, address := l.PickOr(e.VenueTexts, e.Venue).Marked(), l.PickOr(e.AddressTexts, e.Address).Marked()
	for _, p := range []string{venue, address, e.CityIn(l.Lang), l.Country(e.Country)} {
		if p = strings.TrimSpace(p); p != "" && !containsFold(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// containsFold reports whether s already appears within one of ss (a venue
// often names its city: "Daugavpils, Latgales Zoo" needs no second
// "Daugavpils").
func containsFold(ss []string, s string) bool {
	s = strings.ToLower(s)
	for _, x := range ss {
		if strings.Contains(strings.ToLower(x), s) {
			return true
		}
	}
	return false
}

// Weekday names the day of the week in l's language.
func Weekday(l *i18n.Localizer, d time.Time) string {
	return l.T("ticketpage.weekday." + strings.ToLower(d.Weekday().String()[:3]))
}

// FormatCode shows a ticket code in two groups ("ABCD-2345") for reading aloud.
func FormatCode(code string) string {
	if len(code) == 8 {
		return code[:4] + "-" + code[4:]
	}
	return code
}

// PDF renders the ticket on an A4 page or a phone-sized page (pdfdoc.Phone).
func PDF(d Document, size pdfdoc.Size) ([]byte, error) {
	doc, err := pdfdoc.New(size)
	if err != nil {
		return nil, err
	}
	doc.SetInfo(d.Heading+" - "+d.Event, "DeCoDe Attend")
	doc.SetFooter(nil)
	small := size.W < 400
	m := doc.Margin()
	w := doc.ContentWidth()
	scale := 1.0
	if small {
		scale = 0.62
	}
	// Header band: project and "Ticket".
	doc.Fill(0, 0, size.W, 56*scale+m/2, 0.93)
	if err := doc.SetFont(pdfdoc.Regular, 10*scale+1); err != nil {
		return nil, err
	}
	if _, err := doc.Text(m, m/2, w, d.Project, pdfdoc.Left); err != nil {
		return nil, err
	}
	if err := doc.SetFont(pdfdoc.Bold, 20*scale+2); err != nil {
		return nil, err
	}
	if _, err := doc.Text(m, m/2+16*scale+2, w, d.Heading, pdfdoc.Left); err != nil {
		return nil, err
	}
	y := 56*scale + m/2 + 14*scale
	// Event title.
	if err := doc.SetFont(pdfdoc.Bold, 16*scale+2); err != nil {
		return nil, err
	}
	h, err := doc.Text(m, y, w, d.Event, pdfdoc.Left)
	if err != nil {
		return nil, err
	}
	y += h + 8*scale
	// The QR code, as large as the page allows, at whole pixels per module.
	side := min(w, 250.0)
	if small {
		side = min(w, 210)
	}
	png, err := qr.PNG(d.Payload, 640)
	if err != nil {
		return nil, err
	}
	if err := doc.Image(png, m+(w-side)/2, y, side, side); err != nil {
		return nil, err
	}
	y += side + 6*scale
	if err := doc.SetFont(pdfdoc.Regular, 9*scale+1); err != nil {
		return nil, err
	}
	h, _ = doc.Text(m, y, w, d.Labels.Show, pdfdoc.Center)
	y += h + 10*scale
	// Holder's name, large.
	if err := doc.SetFont(pdfdoc.Bold, 22*scale+2); err != nil {
		return nil, err
	}
	h, _ = doc.Text(m, y, w, d.Name, pdfdoc.Center)
	y += h + 2
	if err := doc.SetFont(pdfdoc.Regular, 11*scale+1); err != nil {
		return nil, err
	}
	sub := d.Country
	if d.Organisation != "" {
		sub = d.Organisation + " · " + d.Country
	}
	h, _ = doc.Text(m, y, w, sub, pdfdoc.Center)
	y += h + 12*scale
	doc.Line(m, y, m+w, y, 0.5)
	y += 8 * scale
	rows := [][2]string{
		{d.Labels.Dates, d.Dates},
		{d.Labels.Venue, d.Venue},
		{d.Labels.Days, strings.Join(d.Days, "\n")},
		{d.Labels.Code, d.Code},
	}
	labelW := w * 0.3
	for _, r := range rows {
		if err := doc.SetFont(pdfdoc.Bold, 10*scale+1); err != nil {
			return nil, err
		}
		h1, _ := doc.Text(m, y, labelW-6, r[0], pdfdoc.Left)
		if err := doc.SetFont(pdfdoc.Regular, 10*scale+1); err != nil {
			return nil, err
		}
		h2, _ := doc.Text(m+labelW, y, w-labelW, r[1], pdfdoc.Left)
		y += max(h1, h2) + 5*scale
	}
	out, err := doc.Bytes()
	if err != nil {
		return nil, fmt.Errorf("ticket pdf: %w", err)
	}
	return out, nil
}

// Calendar returns the event as an iCalendar file in l's language, linking to
// the holder's private page (link) so the calendar entry leads to the ticket.
// days are the holder's days with the timetable's times: each is an entry at
// its times in the event's time zone (all day without); none: the event's
// dates as one all-day entry.
func Calendar(l *i18n.Localizer, e store.Event, days []store.EventDay, link, domain string, now time.Time) []byte {
	desc := l.T("ticketpage.calendar.description", "link", link)
	first, last := e.FirstDay, e.LastDay
	if len(days) > 0 {
		first, last = days[0].Day, days[len(days)-1].Day
	}
	return ics.Write(ics.Event{
		Days:        ics.DaysOf(days),
		UID:         e.Slug + "@" + domain,
		Summary:     e.Title.In(l.Lang),
		Description: desc,
		Location:    VenueLine(l, e),
		URL:         link,
		FirstDay:    first,
		LastDay:     last,
		TimeZone:    e.TimeZone,
		Stamp:       now,
	})
}

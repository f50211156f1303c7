// Package view holds the view models that several web areas render: an event
// prepared for a page in one language, its days as offered in forms, a form's
// error summary and the readable personal-data export. Areas share these
// through this package, so that no web area imports another.
package view

import (
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

// EventView is an event prepared for a page in one language.
type EventView struct {
	store.Event
	TitleText       string
	DescriptionText string
	// Title, Description, Venue and Address as picked for the reader: a text
	// in another language is marked (i18n.Shown.HTML).
	TitleShown       i18n.Shown
	DescriptionShown i18n.Shown
	VenueShown       i18n.Shown
	AddressShown     i18n.Shown
	CountryName      string
	// CityText is the town as the reader's language names it (see
	// NameCity); City as typed until then.
	CityText   string
	Dates      string
	Status     string // past | ongoing | upcoming
	Open       bool
	PlacesLeft *int
	DayCount   int
}

// NewEventView localizes an event for display at now.
func NewEventView(e store.Event, l *i18n.Localizer, now time.Time) EventView {
	status := e.Phase(now)
	title := l.Pick(e.Title)
	return EventView{
		Event: e, TitleText: title.Text, DescriptionText: e.Description.In(l.Lang),
		TitleShown: title, DescriptionShown: l.Pick(e.Description),
		VenueShown: l.PickOr(e.VenueTexts, e.Venue), AddressShown: l.PickOr(e.AddressTexts, e.Address),
		CountryName: l.Country(e.Country), CityText: e.CityIn(l.Lang), Dates: l.DateRange(e.FirstDay, e.LastDay),
		Status: status, Open: e.RegistrationOpen(now), PlacesLeft: e.PlacesLeft(),
		DayCount: int(e.LastDay.Sub(e.FirstDay).Hours()/24) + 1,
	}
}

// NameCity names the event's town in the reader's language from its host
// partner's names of the town, when the event is in the host's town.
func (v *EventView) NameCity(host store.Partner, l *i18n.Localizer) {
	if strings.EqualFold(strings.TrimSpace(host.City), strings.TrimSpace(v.City)) {
		v.CityText = host.CityIn(l.Lang)
	}
}

// DayView is one event day as shown and offered in forms.
type DayView struct {
	Value   string // ISO date
	Label   string
	Checked bool
	Full    bool
	Left    *int
	// Times is the day's timetable, "09:30–17:00" in the event's time zone; "" when not set.
	Times string
	// Sessions are the day's sessions in order (the public event page).
	Sessions []SessionView
}

// SessionView is one session of a day in the reader's language.
type SessionView struct {
	Start, End string // as the language writes times of day
	StartISO   string // "09:30", for <time datetime>
	EndISO     string
	Title      string
	// TitleLang is the language of Title when the reader's has no text
	// (then the page marks it as not translated); "" otherwise.
	TitleLang string
	Room      string
	Speakers  string
}

// NewSessionView localizes a session: its times as l writes them.
func NewSessionView(s store.EventSession, l *i18n.Localizer) SessionView {
	v := SessionView{Start: ClockText(l, s.StartsAt), End: ClockText(l, s.EndsAt), StartISO: s.StartsAt, EndISO: s.EndsAt,
		Title: s.Title.In(l.Lang), Room: s.Room, Speakers: s.Speakers}
	if s.Title[l.Lang] == "" {
		for _, lang := range append([]string{"en"}, i18n.Languages...) {
			if s.Title[lang] == v.Title {
				v.TitleLang = lang
				break
			}
		}
	}
	return v
}

// ClockText writes a wall-clock time "09:30" as l writes times of day.
func ClockText(l *i18n.Localizer, hhmm string) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return hhmm
	}
	return l.Time(t)
}

// FieldError is a field's message, for the error summary and the field.
type FieldError struct {
	Field   string // input name
	ID      string // element id the summary links to
	Label   string
	Message string
}

// ExportPage is the readable personal-data export; Staff adds the staff menu.
type ExportPage struct {
	privacy.Export
	Staff   bool
	JSONURL string
}

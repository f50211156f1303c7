package i18n

import (
	"strings"
	"time"
)

// Dates and times follow CLDR (common/main/<lang>.xml, gregorian calendar).
// Tables and forms show the numeric date with the full year (the short date
// pattern with "y"); the time is CLDR's short time; the two join with the
// language's dateTimeFormat glue. English is the British form (en-GB/en-150:
// "4 December 2026, 15:32"), which the programme's partners read, not US
// English's month-first numbers.
type dateFormat struct {
	date string // Go layout of the date
	time string // Go layout of the time of day
	glue string // {1} date, {0} time
}

var dateFormats = map[string]dateFormat{
	"lv": {date: "02.01.2006.", time: "15:04", glue: "{1} {0}"},     // dd.MM.y. / HH:mm
	"en": {date: "2 January 2006", time: "15:04", glue: "{1}, {0}"}, // d MMMM y (en-GB) / HH:mm
	"ru": {date: "02.01.2006", time: "15:04", glue: "{1}, {0}"},     // dd.MM.y / HH:mm
	"lt": {date: "2006-01-02", time: "15:04", glue: "{1} {0}"},      // y-MM-dd / HH:mm
	"pl": {date: "2.01.2006", time: "15:04", glue: "{1}, {0}"},      // d.MM.y / HH:mm
	"de": {date: "02.01.2006", time: "15:04", glue: "{1}, {0}"},     // dd.MM.y / HH:mm
	"ro": {date: "02.01.2006", time: "15:04", glue: "{1}, {0}"},     // dd.MM.y / HH:mm
	"it": {date: "02/01/2006", time: "15:04", glue: "{1}, {0}"},     // dd/MM/y / HH:mm
	"da": {date: "2.1.2006", time: "15.04", glue: "{1} {0}"},        // d.M.y / HH.mm
	"es": {date: "2/1/2006", time: "15:04", glue: "{1}, {0}"},       // d/M/y / H:mm (shown HH:mm)
}

func (l *Localizer) format() dateFormat {
	if f, ok := dateFormats[l.Lang]; ok {
		return f
	}
	return dateFormats[Fallback]
}

// Date formats a calendar date in the language's customary numeric form.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.format().date)
}

// DateISO formats an ISO date string (2025-11-29, as reports carry days);
// anything else is shown as it is.
func (l *Localizer) DateISO(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return l.Date(t)
}

// DateRange formats first..last day, or one date.
func (l *Localizer) DateRange(a, b time.Time) string {
	if a.Equal(b) {
		return l.Date(a)
	}
	return l.Date(a) + " – " + l.Date(b)
}

// Time formats the time of day of t as it stands (convert it first).
func (l *Localizer) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.format().time)
}

// TimeSeconds is Time with seconds, for logs of scans a few seconds apart.
func (l *Localizer) TimeSeconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	f := l.format().time
	sep := f[2:3] // ":" or "."
	return t.Format(f + sep + "05")
}

// DateTime formats t's date and time as it stands (convert it first).
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	f := l.format()
	return strings.NewReplacer("{1}", t.Format(f.date), "{0}", t.Format(f.time)).Replace(f.glue)
}

// DateTimeIn formats t in the time zone tz (an IANA name such as
// Europe/Riga, usually the event's) followed by the zone's abbreviation, so a
// reader elsewhere knows which clock is meant. An unknown zone is UTC.
func (l *Localizer) DateTimeIn(t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	t = t.In(loc)
	return l.DateTime(t) + " " + t.Format("MST")
}

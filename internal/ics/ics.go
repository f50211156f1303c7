// Package ics writes iCalendar (RFC 5545) files for events, so that
// participants can add an event to their calendar.
package ics

import (
	"fmt"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/store"
)

// Event is one calendar entry. All-day entries span FirstDay..LastDay; timed
// entries use Start/End in the event's time zone.
type Event struct {
	UID         string // stable, globally unique (e.g. "decode-1-daugavpils@attend.example")
	Summary     string
	Description string
	Location    string
	URL         string
	FirstDay    time.Time // calendar dates
	LastDay     time.Time
	TimeZone    string // IANA name, e.g. Europe/Riga
	DayStart    string // "09:00": timed entries from DayStart on the first day to DayEnd on the last day
	DayEnd      string // "17:00"
	// Days are the event's days with their own times (the timetable). When
	// any has times, each day is an entry of its own, at its times in the
	// event's time zone (TZID, with a VTIMEZONE), or all day without.
	Days []Day
	// Sessions are entries of their own within the days, at their times in
	// the event's time zone.
	Sessions []Session
	Stamp    time.Time
}

// Session is one session of a day: "HH:MM" times, its title, room and speakers.
type Session struct {
	ID         int64
	Date       time.Time
	Start, End string
	Title      string
	Room       string
	Speakers   string
}

// Day is one day of the timetable; Start and End are "HH:MM" or empty.
type Day struct {
	Date       time.Time
	Start, End string
}

// Write renders a VCALENDAR with one VEVENT. Lines are folded at 75 octets and
// text is escaped as the RFC requires.
func Write(e Event) []byte {
	var b strings.Builder
	line := func(s string) { fold(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//DeCoDe Attend//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	if loc, err := time.LoadLocation(e.TimeZone); err == nil && (timed(e.Days) || len(e.Sessions) > 0) {
		year := e.FirstDay.Year()
		if len(e.Days) > 0 {
			year = e.Days[0].Date.Year()
		}
		writeZone(line, loc, year)
		for _, d := range e.Days {
			writeDay(line, e, d)
		}
		for _, s := range e.Sessions {
			writeSession(line, e, s)
		}
		line("END:VCALENDAR")
		return []byte(b.String())
	}
	line("BEGIN:VEVENT")
	line("UID:" + escape(e.UID))
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	loc, err := time.LoadLocation(e.TimeZone)
	if e.DayStart != "" && e.DayEnd != "" && err == nil {
		// Timed: written in UTC, which every client converts correctly without
		// a VTIMEZONE block; the zone name is kept for clients that show it.
		start := at(e.FirstDay, e.DayStart, loc)
		end := at(e.LastDay, e.DayEnd, loc)
		line("DTSTART:" + start.UTC().Format("20060102T150405Z"))
		line("DTEND:" + end.UTC().Format("20060102T150405Z"))
	} else {
		line("DTSTART;VALUE=DATE:" + e.FirstDay.Format("20060102"))
		line("DTEND;VALUE=DATE:" + e.LastDay.AddDate(0, 0, 1).Format("20060102"))
	}
	line("SUMMARY:" + escape(e.Summary))
	if e.Description != "" {
		line("DESCRIPTION:" + escape(e.Description))
	}
	if e.Location != "" {
		line("LOCATION:" + escape(e.Location))
	}
	if e.URL != "" {
		line("URL:" + e.URL)
	}
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

func at(day time.Time, hhmm string, loc *time.Location) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
}

func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes a content line, folding it at 75 octets without splitting a
// UTF-8 sequence, and ends it with CRLF.
func fold(b *strings.Builder, s string) {
	const limit = 75
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > limit {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
}

func timed(days []Day) bool {
	for _, d := range days {
		if d.Start != "" && d.End != "" {
			return true
		}
	}
	return false
}

// writeDay writes one day's entry: at its times in the event's zone, or all
// day when it has none.
func writeDay(line func(string), e Event, d Day) {
	line("BEGIN:VEVENT")
	line("UID:" + escape(d.Date.Format("20060102")+"-"+e.UID))
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	if d.Start != "" && d.End != "" {
		day := d.Date.Format("20060102")
		line("DTSTART;TZID=" + e.TimeZone + ":" + day + "T" + strings.ReplaceAll(d.Start, ":", "") + "00")
		line("DTEND;TZID=" + e.TimeZone + ":" + day + "T" + strings.ReplaceAll(d.End, ":", "") + "00")
	} else {
		line("DTSTART;VALUE=DATE:" + d.Date.Format("20060102"))
		line("DTEND;VALUE=DATE:" + d.Date.AddDate(0, 0, 1).Format("20060102"))
	}
	line("SUMMARY:" + escape(e.Summary))
	if e.Description != "" {
		line("DESCRIPTION:" + escape(e.Description))
	}
	if e.Location != "" {
		line("LOCATION:" + escape(e.Location))
	}
	if e.URL != "" {
		line("URL:" + e.URL)
	}
	line("END:VEVENT")
}

// writeSession writes one session's entry at its times in the event's zone;
// the event's title and place tell which event it belongs to.
func writeSession(line func(string), e Event, s Session) {
	day := s.Date.Format("20060102")
	line("BEGIN:VEVENT")
	line("UID:" + escape(fmt.Sprintf("%s-s%d-%s", day, s.ID, e.UID)))
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	line("DTSTART;TZID=" + e.TimeZone + ":" + day + "T" + strings.ReplaceAll(s.Start, ":", "") + "00")
	line("DTEND;TZID=" + e.TimeZone + ":" + day + "T" + strings.ReplaceAll(s.End, ":", "") + "00")
	line("SUMMARY:" + escape(s.Title+" · "+e.Summary))
	desc := s.Speakers
	if e.Description != "" {
		desc = strings.TrimSpace(desc + "\n\n" + e.Description)
	}
	if desc != "" {
		line("DESCRIPTION:" + escape(desc))
	}
	location := e.Location
	if s.Room != "" {
		location = strings.TrimPrefix(s.Room+", "+location, ", ")
		location = strings.TrimSuffix(location, ", ")
	}
	if location != "" {
		line("LOCATION:" + escape(location))
	}
	if e.URL != "" {
		line("URL:" + e.URL)
	}
	line("END:VEVENT")
}

// writeZone writes a VTIMEZONE for loc with the offset changes of the year
// before and of the event's year, so that every time of that year falls
// after a known onset (RFC 5545 3.6.5).
func writeZone(line func(string), loc *time.Location, year int) {
	line("BEGIN:VTIMEZONE")
	line("TZID:" + loc.String())
	from := time.Date(year-1, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	n := 0
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		next := t.Add(24 * time.Hour)
		_, a := t.Zone()
		if _, b := next.Zone(); a == b {
			continue
		}
		// The exact instant, to the minute.
		lo, hi := t, next
		for hi.Sub(lo) > time.Minute {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.Zone(); o == a {
				lo = mid
			} else {
				hi = mid
			}
		}
		name, b := hi.Zone()
		kind := "STANDARD"
		if hi.IsDST() {
			kind = "DAYLIGHT"
		}
		line("BEGIN:" + kind)
		// The onset in the wall time that was in force before it.
		line("DTSTART:" + hi.In(time.FixedZone("", a)).Format("20060102T150405"))
		line("TZOFFSETFROM:" + offset(a))
		line("TZOFFSETTO:" + offset(b))
		line("TZNAME:" + escape(name))
		line("END:" + kind)
		n++
	}
	if n == 0 {
		name, o := from.Zone()
		line("BEGIN:STANDARD")
		line("DTSTART:19700101T000000")
		line("TZOFFSETFROM:" + offset(o))
		line("TZOFFSETTO:" + offset(o))
		line("TZNAME:" + escape(name))
		line("END:STANDARD")
	}
	line("END:VTIMEZONE")
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// SessionsOf turns an event's stored sessions into entries in lang.
func SessionsOf(ss []store.EventSession, lang string) []Session {
	out := make([]Session, 0, len(ss))
	for _, s := range ss {
		out = append(out, Session{ID: s.ID, Date: s.Day, Start: s.StartsAt, End: s.EndsAt, Title: s.Title.In(lang),
			Room: s.Room, Speakers: s.Speakers})
	}
	return out
}

// DaysOf turns an event's stored days into the timetable's days.
func DaysOf(ds []store.EventDay) []Day {
	out := make([]Day, 0, len(ds))
	for _, d := range ds {
		day := Day{Date: d.Day}
		if d.StartsAt != nil && d.EndsAt != nil {
			day.Start, day.End = *d.StartsAt, *d.EndsAt
		}
		out = append(out, day)
	}
	return out
}

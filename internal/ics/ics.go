// Package ics writes iCalendar (RFC 5545) files for events, so that
// participants can add an event to their calendar.
package ics

import (
	"fmt"
	"strings"
	"time"
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
	Stamp       time.Time
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

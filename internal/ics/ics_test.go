package ics

import (
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	out := string(Write(Event{
		UID: "decode-1@test", Summary: "Kick-off; Daugavpils, Jūratė", Description: strings.Repeat("Depopulācija ", 20),
		Location: "Daugavpils", FirstDay: d("2018-05-23"), LastDay: d("2018-05-24"), TimeZone: "Europe/Riga",
		DayStart: "09:00", DayEnd: "17:00", Stamp: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC),
	}))
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\n", "DTSTART:20180523T060000Z\r\n", "DTEND:20180524T140000Z\r\n",
		`SUMMARY:Kick-off\; Daugavpils\, Jūratė`, "END:VCALENDAR\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
	allDay := string(Write(Event{UID: "x", Summary: "y", FirstDay: d("2019-11-14"), LastDay: d("2019-11-15"), Stamp: time.Now()}))
	if !strings.Contains(allDay, "DTSTART;VALUE=DATE:20191114") || !strings.Contains(allDay, "DTEND;VALUE=DATE:20191116") {
		t.Errorf("all-day dates wrong:\n%s", allDay)
	}
}

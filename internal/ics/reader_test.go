package ics

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// reader is a real iCalendar parser (python3-icalendar, installed by
// .ci/install-deps.sh test) that prints each entry's start and end in UTC.
const reader = `
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
zones = [c for c in cal.walk('VTIMEZONE')]
print('zones', len(zones))
for ev in cal.walk('VEVENT'):
    s, e = ev.decoded('DTSTART'), ev.decoded('DTEND')
    if isinstance(s, datetime.datetime):
        u = datetime.timezone.utc
        print(ev['UID'], s.astimezone(u).strftime('%Y-%m-%dT%H:%MZ'), e.astimezone(u).strftime('%Y-%m-%dT%H:%MZ'), s.tzinfo.zone if hasattr(s.tzinfo, 'zone') else s.tzinfo)
    else:
        print(ev['UID'], s.isoformat(), e.isoformat(), 'all-day')
`

func python(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import icalendar").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("python3-icalendar is not installed (bash .ci/install-deps.sh test)")
	}
	t.Skip("python3-icalendar is not installed")
	return ""
}

// The timetable's .ics read by a real parser: each day at its own times in
// the event's zone (Riga is UTC+3 in summer), a day without times all day.
func TestTimetableReadByICalendar(t *testing.T) {
	py := python(t)
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	out := Write(Event{UID: "decode-1@test", Summary: "Kick-off; Daugavpils", Location: "Daugavpils", TimeZone: "Europe/Riga",
		FirstDay: d("2018-05-23"), LastDay: d("2018-05-25"), Stamp: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC),
		Days: []Day{{Date: d("2018-05-23"), Start: "09:30", End: "17:00"}, {Date: d("2018-05-24"), Start: "10:00", End: "13:15"}, {Date: d("2018-05-25")}}})
	for _, l := range strings.Split(string(out), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
	if !strings.Contains(string(out), "DTSTART;TZID=Europe/Riga:20180523T093000\r\n") || !strings.Contains(string(out), "TZOFFSETTO:+0300") {
		t.Errorf("no local times with their zone:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "event.ics")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(py, "-c", reader, file).CombinedOutput()
	if err != nil {
		t.Fatalf("the reader refused the file: %v\n%s\n%s", err, got, out)
	}
	want := "zones 1\n" +
		"20180523-decode-1@test 2018-05-23T06:30Z 2018-05-23T14:00Z Europe/Riga\n" +
		"20180524-decode-1@test 2018-05-24T07:00Z 2018-05-24T10:15Z Europe/Riga\n" +
		"20180525-decode-1@test 2018-05-25 2018-05-26 all-day\n"
	if string(got) != want {
		t.Fatalf("read back:\n%s\nwant:\n%s\nfile:\n%s", got, want, out)
	}
	// A zone without daylight saving has one fixed component; Tokyo is UTC+9.
	tokyo := Write(Event{UID: "x@test", Summary: "x", TimeZone: "Asia/Tokyo", Stamp: time.Now(),
		Days: []Day{{Date: d("2024-01-10"), Start: "09:00", End: "10:00"}}})
	os.WriteFile(file, tokyo, 0o600)
	got, err = exec.Command(py, "-c", reader, file).CombinedOutput()
	if err != nil || !strings.Contains(string(got), "2024-01-10T00:00Z 2024-01-10T01:00Z") {
		t.Fatalf("Tokyo: %v\n%s\n%s", err, got, tokyo)
	}
}

// Sessions are entries of their own at their times in the event's zone, read
// back by a real parser beside the days; a calendar with sessions but no day
// times still carries the zone.
func TestSessionsReadByICalendar(t *testing.T) {
	py := python(t)
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	sessions := []Session{
		{ID: 7, Date: d("2018-05-23"), Start: "10:00", End: "11:30", Title: "Opening, plenary; hall", Room: "Hall A", Speakers: "Anna Bērziņa"},
		{ID: 8, Date: d("2018-05-24"), Start: "14:00", End: "15:00", Title: "Workshop"},
	}
	for name, days := range map[string][]Day{
		"timed":   {{Date: d("2018-05-23"), Start: "09:30", End: "17:00"}, {Date: d("2018-05-24")}},
		"untimed": {{Date: d("2018-05-23")}, {Date: d("2018-05-24")}},
	} {
		out := Write(Event{UID: "decode-1@test", Summary: "Kick-off", Location: "Daugavpils", TimeZone: "Europe/Riga",
			FirstDay: d("2018-05-23"), LastDay: d("2018-05-24"), Stamp: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC),
			Days: days, Sessions: sessions})
		file := filepath.Join(t.TempDir(), "event.ics")
		if err := os.WriteFile(file, out, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := exec.Command(py, "-c", reader, file).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: the reader refused the file: %v\n%s\n%s", name, err, got, out)
		}
		first := "20180523-decode-1@test 2018-05-23T06:30Z 2018-05-23T14:00Z Europe/Riga\n"
		if name == "untimed" {
			first = "20180523-decode-1@test 2018-05-23 2018-05-24 all-day\n"
		}
		want := "zones 1\n" + first +
			"20180524-decode-1@test 2018-05-24 2018-05-25 all-day\n" +
			"20180523-s7-decode-1@test 2018-05-23T07:00Z 2018-05-23T08:30Z Europe/Riga\n" +
			"20180524-s8-decode-1@test 2018-05-24T11:00Z 2018-05-24T12:00Z Europe/Riga\n"
		if string(got) != want {
			t.Fatalf("%s: read back:\n%s\nwant:\n%s\nfile:\n%s", name, got, want, out)
		}
		if !strings.Contains(string(out), `SUMMARY:Opening\, plenary\; hall · Kick-off`) || !strings.Contains(string(out), "LOCATION:Hall A\\, Daugavpils") {
			t.Errorf("%s: session's title or room missing:\n%s", name, out)
		}
	}
}

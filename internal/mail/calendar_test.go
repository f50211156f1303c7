package mail_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/store"
)

// icsReader prints each entry of an iCalendar file as "start end zone" in
// UTC, read by a real parser (python3-icalendar, .ci/install-deps.sh test).
const icsReader = `
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    s, e = ev.decoded('DTSTART'), ev.decoded('DTEND')
    if isinstance(s, datetime.datetime):
        u = datetime.timezone.utc
        print(s.astimezone(u).strftime('%Y-%m-%dT%H:%MZ'), e.astimezone(u).strftime('%Y-%m-%dT%H:%MZ'), getattr(s.tzinfo, 'zone', s.tzinfo))
    else:
        print(s.isoformat(), e.isoformat(), 'all-day')
`

// The ticket e-mail's .ics carries the registered days at the timetable's
// times in the event's time zone, and no other day.
func TestTicketCalendarHasRegisteredDaysTimes(t *testing.T) {
	py := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import icalendar").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-icalendar is not installed (bash .ci/install-deps.sh test)")
		}
		t.Skip("python3-icalendar is not installed")
	}
	e := setup(t)
	ctx := context.Background()
	var ev store.Event
	for _, x := range e.events {
		if len(x.Days()) >= 3 {
			ev = x
			break
		}
	}
	if ev.ID == 0 {
		t.Fatal("no seeded event of three days")
	}
	if _, err := e.st.DB.ExecContext(ctx, `UPDATE events SET time_zone = 'Europe/Riga' WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	ev.TimeZone = "Europe/Riga"
	days := ev.Days()
	s := func(v string) *string { return &v }
	for i, d := range days {
		if err := e.st.SetEventDayTimes(ctx, e.st.DB, ev.ID, d, s([]string{"09:30", "10:00", "11:00"}[min(i, 2)]), s("16:45")); err != nil {
			t.Fatal(err)
		}
	}
	// Registered for the first and the third day only.
	mine := []time.Time{days[0], days[2]}
	em := "days@example.org"
	r := store.Registration{EventID: ev.ID, Status: "confirmed", FirstName: "Jonas", LastName: "Petraitis", Country: "LT",
		City: "Vilnius", Participation: "local", Language: "lt", ManageNonce: nonce(), Email: &em}
	if err := e.st.InsertRegistration(ctx, e.st.DB, &r, mine); err != nil {
		t.Fatal(err)
	}
	no := e.notice(r, ev)
	no.Days = mine
	e.inTx(t, func(tx *sqlx.Tx) error { return e.n.Confirmed(ctx, tx, no) })

	var cal []byte
	err := sqlx.GetContext(ctx, e.st.DB, &cal, `SELECT a.content FROM outbox_attachments a JOIN outbox o ON o.id = a.outbox_id
		WHERE o.registration_id = $1 AND a.content_type LIKE 'text/calendar%'`, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cal), "BEGIN:VTIMEZONE") {
		t.Errorf("no time zone in:\n%s", cal)
	}
	file := filepath.Join(t.TempDir(), "ticket.ics")
	if err := os.WriteFile(file, cal, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(py, "-c", icsReader, file).CombinedOutput()
	if err != nil {
		t.Fatalf("the reader refused the file: %v\n%s\n%s", err, got, cal)
	}
	loc, _ := time.LoadLocation("Europe/Riga")
	line := func(d time.Time, start string) string {
		c, _ := time.Parse("15:04", start)
		a := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, loc).UTC()
		b := time.Date(d.Year(), d.Month(), d.Day(), 16, 45, 0, 0, loc).UTC()
		return a.Format("2006-01-02T15:04Z") + " " + b.Format("2006-01-02T15:04Z") + " Europe/Riga\n"
	}
	if want := line(days[0], "09:30") + line(days[2], "11:00"); string(got) != want {
		t.Fatalf("read back:\n%s\nwant:\n%s\nfile:\n%s", got, want, cal)
	}
}

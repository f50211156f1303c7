package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// An event that ran on paper, ticked on the screen afterwards, reports
// exactly as the same people scanned at the door: the attended count is the
// number of people ticked, per day and in total, and every figure, list and
// count equals the scanned twin's.
func TestPaperAttendanceReportsAsTheDoor(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st := f.st
	// Two more events of the fixture's project on the same days: one ticked
	// from paper, one scanned at the door, with the same people.
	mk := func(slug string, number int) store.Event {
		e := f.event
		e.ID, e.Slug, e.Number = 0, slug, number
		if err := st.CreateEvent(ctx, st.DB, &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	paper, door := mk("fixture-paper", 2), mk("fixture-door", 3)
	days := []time.Time{f.event.FirstDay, f.event.LastDay}
	people := []struct{ country, city string }{
		{"LV", "Daugavpils"}, {"LV", "Daugavpils"}, {"LV", "Daugavpils"}, {"LT", "Kaunas"}, {"PL", "Lodz"},
		{"UA", "Kyiv"}, {"LV", "Daugavpils"}, {"DK", "Vejle"},
	}
	ids := map[int64][]int64{}
	for _, e := range []store.Event{paper, door} {
		for i, p := range people {
			email := fmt.Sprintf("paper%d.%d@example.org", e.ID, i)
			r := store.Registration{EventID: e.ID, Status: store.StatusConfirmed, FirstName: "Paper", LastName: fmt.Sprintf("P%02d", i),
				Email: &email, Country: p.country, City: p.city, Participation: store.Local, Organisation: "Org"}
			if err := st.InsertRegistration(ctx, st.DB, &r, days); err != nil {
				t.Fatal(err)
			}
			ids[e.ID] = append(ids[e.ID], r.ID)
		}
	}
	// Day 1: the first six signed; day 2: people 2, 3 and 7.
	day1, day2 := []int{0, 1, 2, 3, 4, 5}, []int{2, 3, 7}
	pick := func(e store.Event, which []int) []int64 {
		var out []int64
		for _, i := range which {
			out = append(out, ids[e.ID][i])
		}
		return out
	}
	coord := store.User{Email: "paper.coord@example.org", Name: "Coordinator", Role: auth.RoleCoordinator}
	if err := st.CreateUser(ctx, st.DB, &coord); err != nil {
		t.Fatal(err)
	}
	cp := &auth.Principal{UserID: coord.ID, Role: coord.Role}
	svc := checkin.New(st, tickets.New(st), func() time.Time { return time.Date(2019, 1, 10, 9, 0, 0, 0, time.UTC) })
	for d, which := range map[time.Time][]int{days[0]: day1, days[1]: day2} {
		res, err := svc.SavePaperAttendance(ctx, cp, paper.ID, d, pick(paper, which), nil, "sign-in sheets")
		if err != nil || res.Admitted != len(which) {
			t.Fatalf("paper %s: %v %+v", d.Format(time.DateOnly), err, res)
		}
		for _, id := range pick(door, which) {
			a := store.Admission{EventID: door.ID, RegistrationID: id, Day: d, AdmittedAt: d.Add(8 * time.Hour), Method: "qr"}
			if ok, err := st.AdmitOnce(ctx, st.DB, &a); err != nil || !ok {
				t.Fatalf("door admission: %v %v", ok, err)
			}
		}
	}
	rs := f.service()
	reps := map[string]report.EventReport{}
	for _, e := range []store.Event{paper, door} {
		rep, err := rs.Event(ctx, e.Slug, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		reps[e.Slug] = rep
	}
	p, d := reps[paper.Slug], reps[door.Slug]
	// Eight people ticked at least once, seven of them from eligible
	// countries (Ukraine is mentioned, not counted).
	if p.AttendedAll != 7 || p.Attended != 6 {
		t.Errorf("paper event: attended %d (all %d), want 6 eligible of 7 ticked", p.Attended, p.AttendedAll)
	}
	if len(p.Days) != 2 || p.Days[0].AttendedAll != len(day1) || p.Days[1].AttendedAll != len(day2) {
		t.Errorf("paper event days: %+v, want %d and %d", p.Days, len(day1), len(day2))
	}
	if p.Attended != d.Attended || p.AttendedAll != d.AttendedAll || p.Invited != d.Invited || p.Local != d.Local ||
		p.Countries != d.Countries || fmt.Sprint(p.Days) != fmt.Sprint(d.Days) ||
		fmt.Sprint(p.ByCountry) != fmt.Sprint(d.ByCountry) || fmt.Sprint(p.ByCity) != fmt.Sprint(d.ByCity) {
		t.Errorf("paper and door events differ:\npaper %+v\ndoor  %+v", p.Counts, d.Counts)
	}
	// The signed lists count the same people.
	for _, e := range []store.Event{paper, door} {
		ls, err := rs.EventListsSummary(ctx, e.Slug, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ls.Counted() != 6 {
			t.Errorf("%s: lists count %d, want 6", e.Slug, ls.Counted())
		}
	}
}

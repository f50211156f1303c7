package setup_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

func sessionsFixture(t *testing.T) (*store.Store, *setup.Service, store.Event) {
	t.Helper()
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	e, err := st.EventBySlug(ctx, st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Days()) < 2 {
		t.Fatalf("the event has %d days", len(e.Days()))
	}
	return st, setup.New(st, time.Now, nil), e
}

func invalidField(t *testing.T, err error, field, key string) {
	t.Helper()
	inv, ok := apperr.AsInvalid(err)
	if !ok || inv.Fields[field] != key {
		t.Fatalf("want %s: %s, got %v (%+v)", field, key, err, inv)
	}
}

// Sessions are added, edited and deleted each in one transaction, audited;
// bad input is a field message and stores nothing.
func TestSessionEditing(t *testing.T) {
	st, svc, e := sessionsFixture(t)
	ctx := context.Background()
	actor := &auth.Principal{UserID: 0, Role: auth.RoleAdmin}
	day1, day2 := e.FirstDay.Format("2006-01-02"), e.FirstDay.AddDate(0, 0, 1).Format("2006-01-02")
	in := setup.SessionInput{Day: day1, Start: "10:00", End: "11:30", Title: map[string]string{"en": "Opening", "lv": "Atklāšana"},
		Room: " Hall A ", Speakers: "Anna Bērziņa"}
	a, err := svc.CreateSession(ctx, actor, e, in, "192.0.2.1")
	if err != nil || a.ID == 0 || a.Room != "Hall A" || a.StartsAt != "10:00" {
		t.Fatalf("create: %+v %v", a, err)
	}
	b, err := svc.CreateSession(ctx, actor, e, setup.SessionInput{Day: day1, Start: "09:00", End: "09:45",
		Title: map[string]string{"en": "Coffee"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.EventSessions(ctx, st.DB, e.ID)
	if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
		t.Fatalf("not by time: %+v %v", got, err)
	}

	for _, c := range []struct {
		in         setup.SessionInput
		field, key string
	}{
		{setup.SessionInput{Day: "2001-01-01", Start: "10:00", End: "11:00", Title: map[string]string{"en": "x"}}, "day", "timetable.error.day"},
		{setup.SessionInput{Day: "soon", Start: "10:00", End: "11:00", Title: map[string]string{"en": "x"}}, "day", "timetable.error.day"},
		{setup.SessionInput{Day: day1, Start: "11:00", End: "10:00", Title: map[string]string{"en": "x"}}, "end", "timetable.error.order"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "10:00", Title: map[string]string{"en": "x"}}, "end", "timetable.error.order"},
		{setup.SessionInput{Day: day1, Start: "25:00", End: "26:00", Title: map[string]string{"en": "x"}}, "start", "timetable.error.time"},
		{setup.SessionInput{Day: day1, Start: "", End: "11:00", Title: map[string]string{"en": "x"}}, "start", "admin.error.required"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "11:00", Title: map[string]string{"lv": "x"}}, "title_en", "admin.error.required"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "11:00", Title: map[string]string{"en": "x", "xx": "y"}}, "title_xx", "admin.error.language"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "11:00", Title: map[string]string{"en": strings.Repeat("x", 301)}}, "title_en", "admin.error.too_long"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "11:00", Title: map[string]string{"en": "x"}, Room: "a\xffb"}, "room", "timetable.error.text"},
		{setup.SessionInput{Day: day1, Start: "10:00", End: "11:00", Title: map[string]string{"en": "x"}, Speakers: strings.Repeat("s", 501)}, "speakers", "admin.error.too_long"},
	} {
		_, err := svc.CreateSession(ctx, actor, e, c.in, "")
		invalidField(t, err, c.field, c.key)
	}
	if n, _ := st.CountEventSessions(ctx, st.DB, e.ID); n != 2 {
		t.Fatalf("refused input stored: %d sessions", n)
	}

	// Edit: a language the input does not name keeps its text.
	ed := setup.SessionInputOf(a)
	ed.Day, ed.Start, ed.End = day2, "14:00", "15:15"
	ed.Title = map[string]string{"en": "Opening plenary"}
	a2, err := svc.UpdateSession(ctx, actor, e, a.ID, ed, "")
	if err != nil || a2.Day.Format("2006-01-02") != day2 || a2.Title["lv"] != "Atklāšana" || a2.Title["en"] != "Opening plenary" || a2.EndsAt != "15:15" {
		t.Fatalf("update: %+v %v", a2, err)
	}
	ed.End = "13:00"
	_, err = svc.UpdateSession(ctx, actor, e, a.ID, ed, "")
	invalidField(t, err, "end", "timetable.error.order")
	if s, _ := st.EventSession(ctx, st.DB, e.ID, a.ID); s.EndsAt != "15:15" {
		t.Fatalf("a refused edit was stored: %+v", s)
	}
	// Another event's session is not found through this event.
	other, err := st.EventBySlug(ctx, st.DB, "decode-1-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateSession(ctx, actor, other, a.ID, ed, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("through another event: %v", err)
	}
	if err := svc.DeleteSession(ctx, actor, other, a.ID, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete through another event: %v", err)
	}
	if err := svc.DeleteSession(ctx, actor, e, b.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.EventSession(ctx, st.DB, e.ID, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
	entries, err := st.Audit(ctx, st.DB, store.AuditFilter{Action: "session.", ObjectID: strconv.FormatInt(e.ID, 10), Limit: 10})
	if err != nil || len(entries) != 4 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	if entries[0].Action != "session.delete" || entries[3].Action != "session.create" {
		t.Errorf("audit actions: %s … %s", entries[0].Action, entries[3].Action)
	}

	// The database refuses an end before the start and a day the event lacks.
	bad := store.EventSession{EventID: e.ID, Day: e.FirstDay, StartsAt: "12:00", EndsAt: "11:00", Title: store.Texts{"en": "x"}}
	if err := st.CreateEventSession(ctx, st.DB, &bad); !errors.Is(err, store.ErrConflict) {
		t.Errorf("end before start: %v", err)
	}
	bad.Day, bad.EndsAt = e.LastDay.AddDate(0, 0, 1), "13:00"
	if err := st.CreateEventSession(ctx, st.DB, &bad); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("day outside the event: %v", err)
	}
}

// A copy has everything the event owns but its registrations: day times and
// capacities, sessions (moved to the new dates), planned grant, questions,
// feedback questions, exit counting, certificate signatory.
func TestCopyCarriesTheEvent(t *testing.T) {
	st, svc, e := sessionsFixture(t)
	ctx := context.Background()
	actor := &auth.Principal{UserID: 0, Role: auth.RoleAdmin}
	s := func(v string) *string { return &v }
	if err := st.SetEventDayTimes(ctx, st.DB, e.ID, e.FirstDay, s("09:30"), s("17:00")); err != nil {
		t.Fatal(err)
	}
	cp := 4000
	if err := st.SetEventDayCapacity(ctx, st.DB, e.ID, e.FirstDay.AddDate(0, 0, 1), &cp); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.ExecContext(ctx, `UPDATE events SET planned_grant_eur = 12345.67, counts_exits = true WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	closes := time.Date(e.LastDay.Year(), e.LastDay.Month(), e.LastDay.Day()+10, 12, 0, 0, 0, time.UTC)
	if err := st.SetEventFeedback(ctx, st.DB, e.ID, []byte(`[{"id":"q1","kind":"rating"}]`), &closes); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCertificateSettings(ctx, st.DB, store.CertificateSettings{EventID: e.ID, SignatoryName: "Dr. Ona Jonaitė",
		SignatoryPosition: "Rector", AutoSend: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateQuestion(ctx, actor, e.ID, setup.QuestionInput{Key: "diet", Kind: store.QuestionShortText,
		Label: map[string]string{"en": "Diet"}}, ""); err != nil {
		t.Fatal(err)
	}
	day2 := e.FirstDay.AddDate(0, 0, 1).Format("2006-01-02")
	for _, in := range []setup.SessionInput{
		{Day: e.FirstDay.Format("2006-01-02"), Start: "10:00", End: "11:00", Title: map[string]string{"en": "Opening", "lv": "Atklāšana"}, Room: "A", Speakers: "Anna"},
		{Day: day2, Start: "14:00", End: "15:30", Title: map[string]string{"en": "Workshop"}, Room: "B"},
	} {
		if _, err := svc.CreateSession(ctx, actor, e, in, ""); err != nil {
			t.Fatal(err)
		}
	}

	first := e.FirstDay.AddDate(0, 0, 100)
	c, err := svc.CopyEvent(ctx, actor, e.ID, setup.CopyInput{Slug: "decode-4-lodz-again", FirstDay: first.Format("2006-01-02")}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err = st.Event(ctx, st.DB, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.PlannedGrantEUR == nil || *c.PlannedGrantEUR != 12345.67 || !c.CountsExits || c.ConfirmedCount != 0 {
		t.Errorf("copy's event row: grant %v, exits %v, confirmed %d", c.PlannedGrantEUR, c.CountsExits, c.ConfirmedCount)
	}
	days, err := st.EventDays(ctx, st.DB, c.ID)
	if err != nil || len(days) != len(e.Days()) || !days[0].Day.Equal(first) {
		t.Fatalf("copy's days: %+v %v", days, err)
	}
	if days[0].StartsAt == nil || *days[0].StartsAt != "09:30" || *days[0].EndsAt != "17:00" {
		t.Errorf("day times not copied: %+v", days[0])
	}
	if days[1].Capacity == nil || *days[1].Capacity != 4000 {
		t.Errorf("day capacity not copied: %+v", days[1])
	}
	ss, err := st.EventSessions(ctx, st.DB, c.ID)
	if err != nil || len(ss) != 2 {
		t.Fatalf("copy's sessions: %+v %v", ss, err)
	}
	if !ss[0].Day.Equal(first) || ss[0].Title["lv"] != "Atklāšana" || ss[0].StartsAt != "10:00" || ss[0].Room != "A" || ss[0].Speakers != "Anna" {
		t.Errorf("first session: %+v", ss[0])
	}
	if !ss[1].Day.Equal(first.AddDate(0, 0, 1)) || ss[1].EndsAt != "15:30" {
		t.Errorf("second session: %+v", ss[1])
	}
	qs, err := st.Questions(ctx, st.DB, c.ID)
	if err != nil || len(qs) != 1 || qs[0].Key != "diet" {
		t.Errorf("questions: %+v %v", qs, err)
	}
	fb, err := st.EventFeedbackSettings(ctx, st.DB, c.ID)
	if err != nil || !strings.Contains(string(fb.Questions), `"q1"`) || fb.ClosesAt == nil || !fb.ClosesAt.Equal(closes.AddDate(0, 0, 100)) {
		t.Errorf("feedback settings: %s %v %v", fb.Questions, fb.ClosesAt, err)
	}
	cs, err := st.EventCertificateSettings(ctx, st.DB, c.ID)
	if err != nil || cs.SignatoryName != "Dr. Ona Jonaitė" || cs.SignatoryPosition != "Rector" || !cs.AutoSend {
		t.Errorf("certificate settings: %+v %v", cs, err)
	}
	if n, _ := st.CountEventSessions(ctx, st.DB, e.ID); n != 2 {
		t.Errorf("the original lost its sessions: %d", n)
	}
}

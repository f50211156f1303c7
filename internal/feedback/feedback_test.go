package feedback_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/feedback"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
)

type fixture struct {
	st  *store.Store
	svc *services.Set
	ev  store.Event
	ctx context.Context
}

func setup(t *testing.T, now func() time.Time) fixture {
	t.Helper()
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := services.New(services.Deps{Store: st, I18n: b, BaseURL: "https://attend.example.lv", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := st.EventBySlug(ctx, st.DB, "decode-1-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{st: st, svc: svc, ev: ev, ctx: ctx}
}

func (f fixture) person(t *testing.T, first, email string, attended bool) store.Registration {
	t.Helper()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	r := store.Registration{EventID: f.ev.ID, Status: store.StatusConfirmed, FirstName: first, LastName: "Test", Email: &email,
		Country: "LV", City: "Daugavpils", Participation: "local", Language: "lv", ManageNonce: nonce, Source: "admin"}
	if err := f.st.InsertRegistration(f.ctx, f.st.DB, &r, f.ev.Days()); err != nil {
		t.Fatal(err)
	}
	if attended {
		a := store.Admission{EventID: f.ev.ID, RegistrationID: r.ID, Day: f.ev.FirstDay, AdmittedAt: f.ev.FirstDay.Add(9 * time.Hour), Method: "manual"}
		if err := f.st.InsertAdmission(f.ctx, f.st.DB, &a); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// One answer per person, editable while open; only attendees; the report's
// counts, average and comments (without names) follow.
func TestFeedbackOnePerPersonAndReport(t *testing.T) {
	// The form of an event of May 2018 is open until the closing time the event sets.
	now := time.Date(2018, 6, 1, 12, 0, 0, 0, time.UTC)
	f := setup(t, func() time.Time { return now })
	fb := f.svc.Feedback
	anna := f.person(t, "Anna", "anna@example.org", true)
	boris := f.person(t, "Boris", "boris@example.org", true)
	carl := f.person(t, "Carl", "carl@example.org", true)
	absent := f.person(t, "Dace", "dace@example.org", false)

	save := func(r store.Registration, in map[string]string) error {
		return fb.Save(f.ctx, r, f.ev, in, "")
	}
	if err := save(anna, map[string]string{"q_overall": "5", "q_comment": "More time for questions, please."}); err != nil {
		t.Fatal(err)
	}
	if err := save(boris, map[string]string{"q_overall": "3"}); err != nil {
		t.Fatal(err)
	}
	// Anna changes her mind: still one answer.
	if err := save(anna, map[string]string{"q_overall": "4", "q_comment": "Great venue; more time for questions."}); err != nil {
		t.Fatal(err)
	}
	if err := save(absent, map[string]string{"q_overall": "1"}); !errors.Is(err, feedback.ErrNotAllowed) {
		t.Fatalf("an absent person answered: %v", err)
	}
	for name, in := range map[string]map[string]string{
		"no rating":   {"q_comment": "x"},
		"rating 6":    {"q_overall": "6"},
		"rating 2.5":  {"q_overall": "2.5"},
		"NUL in text": {"q_overall": "3", "q_comment": "a\x00b"},
		"huge text":   {"q_overall": "3", "q_comment": strings.Repeat("a", feedback.MaxText+1)},
	} {
		if _, ok := apperr.AsInvalid(save(carl, in)); !ok {
			t.Errorf("%s: accepted", name)
		}
	}
	var rows int
	f.st.DB.Get(&rows, `SELECT count(*) FROM feedback_answers`)
	if rows != 2 {
		t.Fatalf("%d answers stored, want 2", rows)
	}
	// The database itself refuses a second answer of one person.
	if _, err := f.st.DB.Exec(`INSERT INTO feedback_answers (event_id, registration_id, answers) VALUES ($1, $2, '{}')`, f.ev.ID, anna.ID); err == nil {
		t.Fatal("a second answer row was accepted")
	}

	rep, err := f.svc.Reports.Event(f.ctx, f.ev.Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Feedback
	if s == nil || s.Responses != 2 || len(s.Questions) != 2 {
		t.Fatalf("summary: %+v", s)
	}
	if q := s.Questions[0]; q.ID != "overall" || q.Answers != 2 || q.Average != 3.5 || q.Scores["4"] != 1 || q.Scores["3"] != 1 {
		t.Errorf("rating: %+v", q)
	}
	if q := s.Questions[1]; q.Answers != 1 || len(q.Comments) != 1 || q.Comments[0] != "Great venue; more time for questions." {
		t.Errorf("comments: %+v", q)
	}

	// After the closing time nothing changes any more.
	closes := now.Add(-time.Hour)
	if err := f.st.SetEventFeedback(f.ctx, f.st.DB, f.ev.ID, nil, &closes); err != nil {
		t.Fatal(err)
	}
	if err := save(carl, map[string]string{"q_overall": "2"}); !errors.Is(err, feedback.ErrNotAllowed) {
		t.Fatalf("answered after closing: %v", err)
	}
	if form, _ := fb.FormFor(f.ctx, anna, f.ev); form.State != feedback.Closed || form.Answers["overall"] != float64(4) {
		t.Fatalf("closed form: %+v", form)
	}

	// Erasure keeps Anna's score and drops her comment.
	if _, err := f.svc.Privacy.Erase(f.ctx, *anna.Email, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	var left string
	f.st.DB.Get(&left, `SELECT answers::text FROM feedback_answers WHERE registration_id = $1`, anna.ID)
	if left != `{"overall": 4}` {
		t.Fatalf("after erasure: %s", left)
	}

	// Boris's answers are in his own access export.
	ex, err := f.svc.Privacy.ExportPerson(f.ctx, privacy.ExportRequest{Registration: &boris, Format: "json", Channel: "private_link", Lang: "lv"}, privacy.Actor{Label: "participant"})
	if err != nil || len(ex.Registrations) != 1 || string(ex.Registrations[0].Feedback) != `{"overall": 3}` {
		t.Fatalf("export: %+v, %v", ex.Registrations, err)
	}

	// The personal link, for e-mails.
	u, err := fb.URL(f.ctx, f.st.DB, boris, "")
	if err != nil || !strings.HasPrefix(u, "https://attend.example.lv/lv/r/") || !strings.HasSuffix(u, "/feedback") {
		t.Fatalf("feedback URL %q, %v", u, err)
	}
}

// An event sets its own questions, labelled per language.
func TestFeedbackCustomQuestions(t *testing.T) {
	now := time.Date(2018, 6, 1, 12, 0, 0, 0, time.UTC)
	f := setup(t, func() time.Time { return now })
	qs := `[{"id":"venue","kind":"rating","label":{"en":"The venue","lv":"Norises vieta"}},{"id":"idea","kind":"text","label":{"en":"One idea to take home"}}]`
	if err := f.st.SetEventFeedback(f.ctx, f.st.DB, f.ev.ID, []byte(qs), nil); err != nil {
		t.Fatal(err)
	}
	r := f.person(t, "Ilze", "ilze@example.org", true)
	form, err := f.svc.Feedback.FormFor(f.ctx, r, f.ev)
	if err != nil || form.State != feedback.Open || len(form.Questions) != 2 || form.Questions[0].Label["lv"] != "Norises vieta" {
		t.Fatalf("form: %+v, %v", form, err)
	}
	if err := f.svc.Feedback.Save(f.ctx, r, f.ev, map[string]string{"q_venue": "2", "q_idea": "Youth councils"}, ""); err != nil {
		t.Fatal(err)
	}
	s, err := feedback.Summarise(f.ctx, f.st, f.ev, "lv")
	if err != nil || s.Questions[0].Label != "Norises vieta" || s.Questions[0].Average != 2 || s.Questions[1].Comments[0] != "Youth councils" {
		t.Fatalf("summary: %+v, %v", s, err)
	}
}

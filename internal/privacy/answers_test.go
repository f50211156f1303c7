package privacy_test

import (
	"context"
	"testing"

	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

// The answers to an event's own questions are in the person's data export
// and go with the person when erased; anonymisation keeps only the options
// of questions counted in the report.
func TestAnswersExportedAndErased(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	email, ids := twoEventPerson(t, f.st)
	r, err := f.st.Registration(ctx, f.st.DB, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	ws := store.Question{EventID: r.EventID, Key: "workshop", Kind: store.QuestionSingleChoice, Position: -1, InReport: true,
		Label: store.Texts{"en": "Workshop", "lv": "Darbnīca"}, Options: store.Options{{Value: "walk", Label: store.Texts{"en": "Walk", "lv": "Pastaiga"}}}}
	visa := store.Question{EventID: r.EventID, Key: "visa_note", Kind: store.QuestionLongText, Position: -1, Label: store.Texts{"en": "Visa"}}
	for _, q := range []*store.Question{&ws, &visa} {
		if err := f.st.CreateQuestion(ctx, f.st.DB, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.SetAnswers(ctx, f.st.DB, r.ID, r.EventID, []int64{ws.ID, visa.ID},
		map[int64][]string{ws.ID: {"walk"}, visa.ID: {"Passport 123"}}); err != nil {
		t.Fatal(err)
	}
	x, err := f.svc.ExportPerson(ctx, privacy.ExportRequest{Email: email, Format: "json", Channel: "cli", Lang: "lv"}, privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	var got []privacy.ExportAnswer
	for _, xr := range x.Registrations {
		if xr.ID == r.ID {
			got = xr.Answers
		}
	}
	if len(got) != 2 || got[0].Key != "workshop" || got[0].Labels[0] != "Pastaiga" || got[1].Values[0] != "Passport 123" {
		t.Fatalf("exported answers: %+v", got)
	}

	// Anonymising keeps the counted option only.
	if _, err := f.st.AnonymiseRegistrations(ctx, f.st.DB, []int64{r.ID}); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := f.st.DB.Select(&left, `SELECT q.key FROM registration_answers a JOIN event_questions q ON q.id = a.question_id
		WHERE a.registration_id = $1`, r.ID); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != "workshop" {
		t.Fatalf("after anonymising: %v", left)
	}
	mustExec(t, f.st, `UPDATE registrations SET email = $1 WHERE id = $2`, email, r.ID)

	res, err := f.svc.Erase(ctx, email, privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.st.DB.Get(&n, `SELECT count(*) FROM registration_answers WHERE registration_id = ANY($1::bigint[])`, pq.Array(ids)); err != nil {
		t.Fatal(err)
	}
	if n != 0 || res.Counts.Answers != 1 {
		t.Fatalf("after erasure: %d answers left, counts %+v", n, res.Counts)
	}
}

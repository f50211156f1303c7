package registration_test

import (
	"context"
	"testing"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

func ptrF(f float64) *float64 { return &f }

// addQuestions gives the event one question of every kind.
func addQuestions(t *testing.T, st *store.Store, eventID int64) []store.Question {
	t.Helper()
	qs := []store.Question{
		{Key: "motto", Kind: store.QuestionShortText, Required: true},
		{Key: "story", Kind: store.QuestionLongText},
		{Key: "workshop", Kind: store.QuestionSingleChoice, InReport: true, Options: store.Options{
			{Value: "walk", Label: store.Texts{"en": "City walk", "lv": "Pastaiga"}}, {Value: "film", Label: store.Texts{"en": "Film"}}}},
		{Key: "meals", Kind: store.QuestionMultipleChoice, Options: store.Options{
			{Value: "lunch", Label: store.Texts{"en": "Lunch"}}, {Value: "dinner", Label: store.Texts{"en": "Dinner"}}}},
		{Key: "visa", Kind: store.QuestionCheckbox},
		{Key: "nights", Kind: store.QuestionNumber, Min: ptrF(0), Max: ptrF(14)},
		{Key: "arrival", Kind: store.QuestionDate},
	}
	for i := range qs {
		qs[i].EventID, qs[i].Position, qs[i].Label = eventID, -1, store.Texts{"en": qs[i].Key}
		if err := st.CreateQuestion(context.Background(), st.DB, &qs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return qs
}

func TestAnswersValidatedPerKindAndNothingHalfStored(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-answers", nil)
	addQuestions(t, st, f.Event.ID)
	svc := newService(st)
	good := map[string][]string{"motto": {" Together "}, "workshop": {"walk"}, "meals": {"dinner", "lunch", "dinner"},
		"visa": {"yes"}, "nights": {"3,5"}, "arrival": {"2030-05-01"}, "story": {"line one\nline two"}}
	cases := []struct {
		name  string
		edit  func(m map[string][]string)
		field string
	}{
		{"required left empty", func(m map[string][]string) { m["motto"] = []string{"  "} }, "answers.motto"},
		{"required left out", func(m map[string][]string) { delete(m, "motto") }, "answers.motto"},
		{"option not in list", func(m map[string][]string) { m["workshop"] = []string{"boat"} }, "answers.workshop"},
		{"two answers to one choice", func(m map[string][]string) { m["workshop"] = []string{"walk", "film"} }, "answers.workshop"},
		{"multiple choice option not in list", func(m map[string][]string) { m["meals"] = []string{"lunch", "breakfast"} }, "answers.meals"},
		{"number out of range", func(m map[string][]string) { m["nights"] = []string{"15"} }, "answers.nights"},
		{"huge number", func(m map[string][]string) { m["nights"] = []string{"1e400"} }, "answers.nights"},
		{"not a number", func(m map[string][]string) { m["nights"] = []string{"three"} }, "answers.nights"},
		{"invalid date", func(m map[string][]string) { m["arrival"] = []string{"2030-02-30"} }, "answers.arrival"},
		{"NUL byte", func(m map[string][]string) { m["motto"] = []string{"a\x00b"} }, "answers.motto"},
		{"invalid UTF-8", func(m map[string][]string) { m["story"] = []string{"\xff\xfe"} }, "answers.story"},
		{"line break in short text", func(m map[string][]string) { m["motto"] = []string{"a\nb"} }, "answers.motto"},
		{"unknown question", func(m map[string][]string) { m["shoe_size"] = []string{"42"} }, "answers.shoe_size"},
		{"hostile key", func(m map[string][]string) { m["<x>\x00"] = []string{"1"} }, "answers"},
		{"checkbox nonsense", func(m map[string][]string) { m["visa"] = []string{"maybe"} }, "answers.visa"},
	}
	for i, c := range cases {
		in := person("bad" + string(rune('a'+i)) + "@example.lt")
		in.Answers = map[string][]string{}
		for k, v := range good {
			in.Answers[k] = v
		}
		c.edit(in.Answers)
		_, err := svc.Register(ctx, f.Event.Slug, in, "en")
		inv, ok := apperr.AsInvalid(err)
		if !ok || inv.Fields[c.field] == "" {
			t.Errorf("%s: err = %v, want a problem with %s", c.name, err, c.field)
		}
	}
	if n := count(t, st, `SELECT count(*) FROM registrations WHERE event_id = $1`, f.Event.ID); n != 0 {
		t.Fatalf("%d registrations stored from invalid input", n)
	}
	if n := count(t, st, `SELECT count(*) FROM registration_answers`); n != 0 {
		t.Fatalf("%d answers stored from invalid input", n)
	}

	in := person("good@example.lt")
	in.Answers = good
	if _, err := svc.Register(ctx, f.Event.Slug, in, "en"); err != nil {
		t.Fatal(err)
	}
	r, err := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, "good@example.lt")
	if err != nil {
		t.Fatal(err)
	}
	got := answersOf(t, st, r.ID)
	want := map[string]string{"motto": "Together", "workshop": "walk", "meals": "lunch|dinner", "visa": "yes",
		"nights": "3.5", "arrival": "2030-05-01", "story": "line one\nline two"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("answer %s = %q, want %q", k, got[k], v)
		}
	}

	// The self-service change replaces every answer: an optional one left
	// out goes, a required one stays required.
	ch := in
	ch.Answers = map[string][]string{"motto": {"New motto"}, "workshop": {"film"}}
	if _, err := svc.UpdateDetails(ctx, r.ID, ch, nil); err != nil {
		t.Fatal(err)
	}
	got = answersOf(t, st, r.ID)
	if got["motto"] != "New motto" || got["workshop"] != "film" || got["meals"] != "" || len(got) != 2 {
		t.Errorf("after change: %v", got)
	}
	ch.Answers = map[string][]string{"workshop": {"walk"}}
	if _, err := svc.UpdateDetails(ctx, r.ID, ch, nil); err == nil {
		t.Error("a change without the required answer was accepted")
	}
	if got = answersOf(t, st, r.ID); got["workshop"] != "film" {
		t.Errorf("a refused change stored answers: %v", got)
	}

	// The database keeps an answer to its own event's question only.
	other := regtest.NewFixture(t, st, "ev-answers-2", nil)
	oq := addQuestions(t, st, other.Event.ID)
	if err := st.SetAnswers(ctx, st.DB, r.ID, f.Event.ID, []int64{oq[0].ID}, map[int64][]string{oq[0].ID: {"x"}}); err == nil {
		t.Error("an answer to another event's question was stored")
	}
}

func answersOf(t *testing.T, st *store.Store, regID int64) map[string]string {
	t.Helper()
	var rows []struct {
		Key   string `db:"key"`
		Value string `db:"value"`
	}
	if err := st.DB.Select(&rows, `SELECT q.key, array_to_string(a.value, '|') AS value FROM registration_answers a
		JOIN event_questions q ON q.id = a.question_id WHERE a.registration_id = $1`, regID); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out
}

func TestImportAnswersByKey(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-import-answers", nil)
	addQuestions(t, st, f.Event.ID)
	svc := newService(st)
	sh := &sheetin.Sheet{
		Header: []string{"first_name", "last_name", "email", "country", "city", "participation", "motto", "workshop", "meals", "nights"},
		Rows: []sheetin.Row{
			{Line: 2, Cells: []string{"Anna", "Ozola", "anna@example.lv", "LV", "Daugavpils", "local", "Hello", "Pastaiga", "Lunch; dinner", "2"}},
		},
	}
	// Columns as the import screen maps them: the question columns are left
	// unmapped there and found by their headers, the questions' keys.
	o := registration.ImportOptions{Columns: []string{"first_name", "last_name", "email", "country", "city", "participation", "", "", "", ""}}
	res, err := svc.Import(ctx, nil, f.Event.Slug, sh, o)
	if err != nil {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	r, err := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, "anna@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	got := answersOf(t, st, r.ID)
	if got["motto"] != "Hello" || got["workshop"] != "walk" || got["meals"] != "lunch|dinner" || got["nights"] != "2" {
		t.Fatalf("imported answers: %v", got)
	}
	// Again: nothing changes. With a bad option: refused with row and column.
	if res, err = svc.Import(ctx, nil, f.Event.Slug, sh, o); err != nil || res.Unchanged != 1 {
		t.Fatalf("second import: %v %+v", err, res)
	}
	sh.Rows[0].Cells[7] = "Boat trip"
	res, err = svc.Import(ctx, nil, f.Event.Slug, sh, o)
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Column != "H" || res.Errors[0].Row != 2 {
		t.Fatalf("bad option: %v %+v", err, res.Errors)
	}
	if got := answersOf(t, st, r.ID); got["workshop"] != "walk" {
		t.Fatalf("refused import changed answers: %v", got)
	}
}

package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

// An event's own questions: one column each in the participants export (CSV
// and XLSX, read back with a real reader), and a choice question marked for
// the report counted per option.
func TestQuestionsInExportAndReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := f.st.EventBySlug(ctx, f.st.DB, fixtureSlug)
	if err != nil {
		t.Fatal(err)
	}
	ws := store.Question{EventID: e.ID, Key: "workshop", Kind: store.QuestionSingleChoice, Position: -1, InReport: true,
		Label: store.Texts{"en": "Workshop"}, Options: store.Options{
			{Value: "walk", Label: store.Texts{"en": "City walk", "lv": "Pastaiga"}}, {Value: "film", Label: store.Texts{"en": "Film"}}}}
	motto := store.Question{EventID: e.ID, Key: "motto", Kind: store.QuestionShortText, Position: -1, Label: store.Texts{"en": "Motto"}}
	visa := store.Question{EventID: e.ID, Key: "visa", Kind: store.QuestionCheckbox, Position: -1, InReport: true,
		Label: store.Texts{"en": "Visa letter"}}
	for _, q := range []*store.Question{&ws, &motto, &visa} {
		if err := f.st.CreateQuestion(ctx, f.st.DB, q); err != nil {
			t.Fatal(err)
		}
	}
	asked := []int64{ws.ID, motto.ID, visa.ID}
	if err := f.st.SetAnswers(ctx, f.st.DB, f.regs["ua"], e.ID, asked, map[int64][]string{ws.ID: {"film"}, motto.ID: {"=1+1"}, visa.ID: {"yes"}}); err != nil {
		t.Fatal(err)
	}
	var other int64
	if err := f.st.DB.Get(&other, `SELECT id FROM registrations WHERE event_id = $1 AND id <> $2 AND status <> 'cancelled' ORDER BY id LIMIT 1`,
		e.ID, f.regs["ua"]); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetAnswers(ctx, f.st.DB, other, e.ID, asked, map[int64][]string{ws.ID: {"walk"}}); err != nil {
		t.Fatal(err)
	}
	svc := f.service()
	l := bundle(t).Localizer("en")
	var buf bytes.Buffer
	if _, err := svc.Participants(ctx, &buf, l, report.ParticipantExport{Slug: fixtureSlug, Format: report.CSV,
		Who: store.WhoAll, Columns: []string{"id"}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeffRegistration ID,workshop,motto,visa\n") || !strings.Contains(out, ",Film,'=1+1,") || !strings.Contains(out, ",City walk,,") {
		t.Errorf("CSV export:\n%s", out)
	}
	buf.Reset()
	if _, err := svc.Participants(ctx, &buf, l, report.ParticipantExport{Slug: fixtureSlug, Format: report.XLSX,
		Who: store.WhoAll, Columns: []string{"id"}}); err != nil {
		t.Fatal(err)
	}
	sheets := xlsxtest.ReadOnly(t, buf.Bytes())
	rows := sheets[0].Rows
	if rows[0][1] != "workshop" || rows[0][2] != "motto" {
		t.Fatalf("XLSX header: %v", rows[0])
	}
	films := 0
	for _, r := range rows[1:] {
		if r[1] == "Film" && r[2] == "'=1+1" {
			films++
		}
	}
	if films != 1 {
		t.Errorf("XLSX rows: %v", rows)
	}

	rep, err := svc.Event(ctx, fixtureSlug, report.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Questions) != 2 || rep.Questions[0].Key != "workshop" || len(rep.Questions[0].Options) != 2 {
		t.Fatalf("report questions: %+v", rep.Questions)
	}
	for _, o := range rep.Questions[0].Options {
		if o.Registered != 1 {
			t.Errorf("option %s registered %d, want 1", o.Value, o.Registered)
		}
	}
	// A counted tick box has the one option "yes".
	if q := rep.Questions[1]; q.Key != "visa" || len(q.Options) != 1 || q.Options[0].Value != "yes" || q.Options[0].Registered != 1 {
		t.Fatalf("tick box in the report: %+v", q)
	}
	// The counts file has them as a table of its own: question, answer, registered, participants.
	buf.Reset()
	if err := report.WriteCounts(&buf, report.XLSX, l, rep.Counts, rep.Rules, nil); err != nil {
		t.Fatal(err)
	}
	var table [][]string
	for _, sh := range xlsxtest.ReadOnly(t, buf.Bytes()) {
		if sh.Name == "Questions of this event" {
			table = sh.Rows
		}
	}
	if len(table) != 4 || strings.Join(table[0], "|") != "Question|Answer|Registered|Direct participants" ||
		strings.Join(table[1][:3], "|") != "Workshop|City walk|1" || strings.Join(table[2][:3], "|") != "Workshop|Film|1" ||
		strings.Join(table[3][:3], "|") != "Visa letter|Ticked|1" {
		t.Fatalf("questions sheet: %q", table)
	}
}

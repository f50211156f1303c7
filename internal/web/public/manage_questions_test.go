package public_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/store"
)

// On their private page a person changes their answers with their details:
// the stored answers fill the form, a required one emptied is refused with
// its message and nothing changed, and a change is stored.
func TestManageEditAnswers(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	workshop := store.Question{EventID: e.f.Event.ID, Key: "workshop", Kind: store.QuestionSingleChoice, Required: true, Position: -1,
		Label:   store.Texts{"en": "Which workshop?"},
		Options: store.Options{{Value: "walk", Label: store.Texts{"en": "City walk"}}, {Value: "film", Label: store.Texts{"en": "Film night"}}}}
	visa := store.Question{EventID: e.f.Event.ID, Key: "visa", Kind: store.QuestionCheckbox, Position: -1, Label: store.Texts{"en": "I need a visa letter"}}
	for _, q := range []*store.Question{&workshop, &visa} {
		if err := e.st.CreateQuestion(ctx, e.st.DB, q); err != nil {
			t.Fatal(err)
		}
	}
	slug := e.f.Event.Slug
	form := e.validForm("anna@example.lv")
	form.Set("answers.workshop", "walk")
	form.Set("answers.visa", "yes")
	if resp, _ := e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	e.confirm(t, confirmationLink(t, e.st, "anna@example.lv"))
	edit := manageLink(t, e.st, "anna@example.lv") + "/edit"
	resp, page := e.get(t, edit)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="answers.workshop" value="walk" checked`) ||
		!strings.Contains(page, `name="answers.visa" value="yes" checked`) {
		t.Fatalf("edit page %d without the stored answers", resp.StatusCode)
	}
	answers := func() string {
		var got []string
		e.st.DB.Select(&got, `SELECT q.key || '=' || array_to_string(a.value, ';') FROM registration_answers a
			JOIN event_questions q ON q.id = a.question_id ORDER BY 1`)
		return strings.Join(got, " ")
	}
	form.Del("answers.workshop")
	form.Del("answers.visa")
	resp, page = e.post(t, edit, edit, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#f-q-workshop-0"`) {
		t.Fatalf("required answer emptied: %d", resp.StatusCode)
	}
	if got := answers(); got != "visa=yes workshop=walk" {
		t.Fatalf("refused change stored %q", got)
	}
	form.Set("answers.workshop", "film")
	if resp, _ = e.post(t, edit, edit, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if got := answers(); got != "workshop=film" {
		t.Fatalf("answers after the change %q", got)
	}
}

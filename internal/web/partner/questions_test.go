package partner_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// A delegation answers the event's questions per person: a required one left
// out refuses the whole delegation with the message on that person's row;
// answered, the answers are stored with the registrations.
func TestDelegationQuestions(t *testing.T) {
	st, f, base := setup(t)
	ctx := context.Background()
	workshop := store.Question{EventID: f.Event.ID, Key: "workshop", Kind: store.QuestionSingleChoice, Required: true,
		Label:   store.Texts{"en": "Which workshop?"},
		Options: store.Options{{Value: "youth", Label: store.Texts{"en": "Youth"}}, {Value: "climate", Label: store.Texts{"en": "Climate"}}}}
	visa := store.Question{EventID: f.Event.ID, Key: "visa", Kind: store.QuestionCheckbox, Label: store.Texts{"en": "I need a visa letter"}}
	for _, q := range []*store.Question{&workshop, &visa} {
		if err := st.CreateQuestion(ctx, st.DB, q); err != nil {
			t.Fatal(err)
		}
	}
	kaunas, lodz := f.Partners["kaunas"], f.Partners["lodz"]
	coord := signIn(t, st, base, "coord@kaunas.lt", auth.RolePartner, &kaunas.ID)
	form := "/partner/events/" + f.Event.Slug + "/delegation"
	resp, page := coord.do(http.MethodGet, form, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="members.0.answers.workshop"`) ||
		!strings.Contains(page, `name="members.11.answers.visa"`) || !strings.Contains(page, "Which workshop?") {
		t.Fatalf("form %d lacks the questions", resp.StatusCode)
	}
	members := url.Values{
		"csrf_token":    {csrfRE.FindStringSubmatch(page)[1]},
		"m0_first_name": {"Jūratė"}, "m0_last_name": {"Žemaitė"}, "members.0.answers.workshop": {"climate"},
		"members.0.answers.visa": {"yes"},
		"m1_first_name":          {"Rūta"}, "m1_last_name": {"Butkus"},
		"privacy_informed": {"1"},
	}
	resp, page = coord.do(http.MethodPost, form, members)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#f-members-1-q-workshop-0"`) ||
		!strings.Contains(page, "Person 2, Which workshop?") {
		t.Fatalf("missing required answer: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `id="f-members-0-q-workshop-1" name="members.0.answers.workshop" value="climate" checked`) {
		t.Error("the first person's answer is not kept")
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM registrations`)
	if n != 0 {
		t.Fatalf("refused delegation stored %d", n)
	}
	// A hostile answer is refused, not stored.
	members.Set("members.1.answers.workshop", "nope\x00")
	if resp, _ = coord.do(http.MethodPost, form, members); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown option: %d", resp.StatusCode)
	}
	members.Set("members.1.answers.workshop", "youth")
	if resp, _ = coord.do(http.MethodPost, form, members); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delegation: %d", resp.StatusCode)
	}
	var got []string
	if err := st.DB.Select(&got, `SELECT r.first_name || ':' || q.key || '=' || array_to_string(a.value, ';')
		FROM registration_answers a JOIN registrations r ON r.id = a.registration_id
		JOIN event_questions q ON q.id = a.question_id ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if want := "Jūratė:visa=yes Jūratė:workshop=climate Rūta:workshop=youth"; strings.Join(got, " ") != want {
		t.Fatalf("answers %q, want %q", got, want)
	}
	// Another partner's coordinator cannot answer for this event's delegation of Kaunas.
	other := signIn(t, st, base, "coord@lodz.pl", auth.RolePartner, &lodz.ID)
	resp, page = other.do(http.MethodGet, form, nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(page, "Kaunas City Municipality") {
		t.Fatalf("other partner's form: %d", resp.StatusCode)
	}
}

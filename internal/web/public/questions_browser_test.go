package public_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
)

// The public form with the event's own questions on a phone-sized window:
// accessible, and a required question left empty comes back with its
// localized message in the error summary, nothing stored.
func TestBrowserFormWithQuestions(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e := newEnv(t, nil)
	ctx := context.Background()
	for _, q := range []store.Question{
		{Key: "workshop", Kind: store.QuestionSingleChoice, InReport: true, Required: true,
			Label:   store.Texts{"en": "Which workshop?", "lv": "Kura darbnīca?"},
			Help:    store.Texts{"en": "Places are limited."},
			Options: store.Options{{Value: "walk", Label: store.Texts{"en": "City walk", "lv": "Pastaiga"}}, {Value: "film", Label: store.Texts{"en": "Film night", "lv": "Kino vakars"}}}},
		{Key: "motto", Kind: store.QuestionShortText, Required: true, Label: store.Texts{"en": "Your town's motto", "lv": "Jūsu pilsētas devīze"}},
		{Key: "visa", Kind: store.QuestionCheckbox, Label: store.Texts{"en": "I need a visa letter", "lv": "Man vajag vīzas vēstuli"}},
		{Key: "nights", Kind: store.QuestionNumber, Label: store.Texts{"en": "Nights in a hotel", "lv": "Naktis viesnīcā"}},
		{Key: "arrival", Kind: store.QuestionDate, Label: store.Texts{"en": "Arrival date", "lv": "Ierašanās datums"}},
	} {
		q.EventID, q.Position = e.f.Event.ID, -1
		if err := e.st.CreateQuestion(ctx, e.st.DB, &q); err != nil {
			t.Fatal(err)
		}
	}
	bctx, _ := browsertest.NewContext(t)
	b := &browser{t: t, ctx: bctx, e: e}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	slug := e.f.Event.Slug
	b.open("/lv/events/" + slug + "/register")
	browsertest.AssertAccessible(t, bctx, "form with questions (lv)")
	browsertest.Screenshot(t, bctx, "questions-form-phone")
	if got := b.text("fieldset.questions"); !strings.Contains(got, "Kura darbnīca?") || !strings.Contains(got, "Kino vakars") {
		t.Fatalf("questions not on the form: %q", got)
	}
	// Everything but the required motto.
	b.eval(`(function(){
		var set = function(id, v){ document.getElementById(id).value = v; };
		set("f-first_name", "Anna"); set("f-last_name", "Ozola"); set("f-email", "anna@example.lv");
		set("f-country", "LV"); set("f-city", "Daugavpils");
		document.getElementById("f-participation-local").checked = true;
		document.getElementById("f-q-workshop-1").checked = true;
		document.getElementById("f-privacy").checked = true;
		document.getElementById("f-first_name").focus();
		return "";
	})()`)
	b.submit(kb.Enter, "/lv/events/"+slug+"/register")
	summary := b.text("#error-summary")
	if !strings.Contains(summary, "Jūsu pilsētas devīze") {
		t.Errorf("summary %q does not name the question", summary)
	}
	if got := b.eval(`document.getElementById("f-q-workshop-1").checked ? "yes" : ""`); got != "yes" {
		t.Error("the chosen option was not kept")
	}
	browsertest.AssertAccessible(t, bctx, "form with a question's error")
	browsertest.Screenshot(t, bctx, "questions-form-error-phone")
	if n := e.count(t, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("%d registrations stored", n)
	}
	b.eval(`(function(){ document.getElementById("f-q-motto").value = "Vienoti"; document.getElementById("f-first_name").focus(); return ""; })()`)
	b.submit(kb.Enter, "/lv/events/"+slug+"/registered")
	if n := e.count(t, `SELECT count(*) FROM registration_answers a JOIN registrations r ON r.id = a.registration_id
		WHERE r.email = 'anna@example.lv'`); n != 2 {
		t.Fatalf("%d answers stored, want 2", n)
	}
}

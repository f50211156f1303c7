package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/store"
)

// An e-mail in Polish about an event titled only in English says the title
// is in English; one with a Polish title says nothing.
func TestComposeMarksFallbackTitle(t *testing.T) {
	e := setup(t)
	ev := e.events[0]
	p, _ := e.st.Project(context.Background(), e.st.DB, ev.ProjectID)
	r := store.Registration{ID: 1, EventID: ev.ID, FirstName: "Ola", LastName: "Nowak", Language: "pl", Status: "confirmed"}
	ev.Title = store.Texts{"en": "Kick-off meeting"}
	m, err := e.n.Composer.Compose(mail.Content{Kind: mail.KindLink, Registration: r, Event: ev, Project: p, To: "ola@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
		if !strings.Contains(s, "Kick-off meeting (po angielsku)") {
			t.Errorf("%s: fallback not marked: %q", what, s[:min(len(s), 300)])
		}
	}
	ev.Title["pl"] = "Spotkanie inaugurujące projekt"
	m, err = e.n.Composer.Compose(mail.Content{Kind: mail.KindLink, Registration: r, Event: ev, Project: p, To: "ola@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "Spotkanie inaugurujące projekt") || strings.Contains(m.Text, "(po angielsku)") {
		t.Errorf("translated title: %q", m.Subject)
	}
}

package certificates_test

import (
	"context"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

// The automatic send: only events that ask for it, only once they are over
// on their own clock (the day after the last day), and once.
func TestSendDue(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var now time.Time
	svc, err := services.New(services.Deps{Store: st, I18n: b, BaseURL: "https://attend.example.org", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	f := regtest.NewFixture(t, st, "auto-certs", nil)
	// Registered and attended on the first day (the clock then), the event
	// lasting three days.
	now = f.Event.FirstDay.Add(12 * time.Hour)
	d1 := f.Event.FirstDay.Format("2006-01-02")
	sheet, _ := sheetin.Read([]byte("first_name;last_name;email;city;country;participation;days;attended\nAin;Tamm;ain@example.ee;Tartu;EE;other;" + d1 + ";" + d1 + "\n"))
	if res, err := svc.Registration.Import(ctx, nil, f.Event.Slug, sheet, registration.ImportOptions{Headers: svc.ImportHeaders, Lang: "en"}); err != nil || res.Admissions != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	due := func(at time.Time) int {
		t.Helper()
		now = at
		n, err := svc.Certificates.SendDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// 23:30 in Riga on the last day is still the event.
	riga, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		t.Fatal(err)
	}
	lastEvening := time.Date(f.Event.LastDay.Year(), f.Event.LastDay.Month(), f.Event.LastDay.Day(), 23, 30, 0, 0, riga)
	if n := due(lastEvening.AddDate(0, 0, 1)); n != 0 {
		t.Fatalf("sent %d without the event's setting", n)
	}
	if err := st.SaveCertificateSettings(ctx, st.DB, store.CertificateSettings{EventID: f.Event.ID, AutoSend: true}); err != nil {
		t.Fatal(err)
	}
	if n := due(lastEvening); n != 0 {
		t.Fatalf("sent %d on the last day", n)
	}
	if n := due(lastEvening.Add(time.Hour)); n != 1 {
		t.Fatalf("sent %d after midnight in Riga, want 1", n)
	}
	if n := due(lastEvening.Add(2 * time.Hour)); n != 0 {
		t.Fatalf("sent %d again", n)
	}
	var to string
	st.DB.Get(&to, `SELECT to_addr FROM outbox WHERE kind = 'certificate'`)
	if to != "ain@example.ee" {
		t.Fatalf("sent to %q", to)
	}
}

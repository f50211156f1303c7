package messages_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/messages"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
)

type fixture struct {
	st  *store.Store
	svc *services.Set
	ev  store.Event
	ctx context.Context
}

func setup(t *testing.T) fixture {
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
	svc, err := services.New(services.Deps{Store: st, I18n: b, BaseURL: "https://attend.example.lv", MessageInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// Event 1 (Daugavpils, May 2018) is long past.
	ev, err := st.EventBySlug(ctx, st.DB, "decode-1-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{st: st, svc: svc, ev: ev, ctx: ctx}
}

func (f fixture) person(t *testing.T, first, lang, email string, status store.Status) store.Registration {
	t.Helper()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	r := store.Registration{EventID: f.ev.ID, Status: status, FirstName: first, LastName: "Test", Email: &email,
		Country: "LV", City: "Daugavpils", Participation: "local", Language: lang, ManageNonce: nonce, Source: "admin"}
	if status == store.StatusWaitlisted {
		seq := int64(len(email))
		r.WaitlistSeq = &seq
	}
	if err := f.st.InsertRegistration(f.ctx, f.st.DB, &r, f.ev.Days()); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f fixture) admit(t *testing.T, r store.Registration, day time.Time) {
	t.Helper()
	a := store.Admission{EventID: f.ev.ID, RegistrationID: r.ID, Day: day, AdmittedAt: day.Add(9 * time.Hour), Method: "manual"}
	if err := f.st.InsertAdmission(f.ctx, f.st.DB, &a); err != nil {
		t.Fatal(err)
	}
}

func worker(f fixture, m *mailtest.Server, t *testing.T) *outbox.Worker {
	t.Helper()
	sender, err := mail.NewSender(m.SMTPURL, "DeCoDe Attend <no-reply@attend.example.lv>")
	if err != nil {
		t.Fatal(err)
	}
	return &outbox.Worker{Store: f.st, Sender: sender, Batch: 50, Backoff: func(int) time.Duration { return 0 }}
}

var draftTexts = struct{ subject, body map[string]string }{
	subject: map[string]string{
		"en": "We missed you at {event}",
		"lv": "Mums jūs pietrūka pasākumā {event}",
		"ru": "Нам вас не хватало на {event}",
		"de": "Wir haben Sie bei {event} vermisst",
	},
	body: map[string]string{
		"en": "Dear {first_name},\n\nthe materials are online. Your registration: {manage_link}",
		"lv": "Sveiki, {first_name}!\n\nMateriāli ir tiešsaistē. Jūsu reģistrācija: {manage_link}",
		"ru": "Здравствуйте, {first_name}!\n\nМатериалы опубликованы. Ваша регистрация: {manage_link}",
		"de": "Hallo {first_name},\n\ndie Unterlagen sind online. Ihre Anmeldung: {manage_link}",
	},
}

// A message to the no-shows of a past event reaches only them, each in their
// own language (Italian, which the message lacks, gets the project's
// fallback, English); people who came, cancelled, waited, were erased or
// opted out get nothing. The message is audited and in the person's export.
func TestNoShowsGetTheirOwnLanguage(t *testing.T) {
	f := setup(t)
	mp := mailtest.Start(t)
	day1 := f.ev.FirstDay
	came1 := f.person(t, "Anna", "lv", "anna@example.org", store.StatusConfirmed)
	came2 := f.person(t, "Ivan", "ru", "ivan@example.org", store.StatusConfirmed)
	f.admit(t, came1, day1)
	f.admit(t, came2, day1.AddDate(0, 0, 1))
	absent := map[string]store.Registration{
		"lv": f.person(t, "Līga", "lv", "liga@example.org", store.StatusConfirmed),
		"ru": f.person(t, "Ольга", "ru", "olga@example.org", store.StatusConfirmed),
		"en": f.person(t, "Peter", "en", "peter@example.org", store.StatusConfirmed),
		"de": f.person(t, "Klaus", "de", "klaus@example.org", store.StatusConfirmed),
		"it": f.person(t, "Giulia", "it", "giulia@example.org", store.StatusConfirmed),
	}
	f.person(t, "Carla", "en", "cancelled@example.org", store.StatusCancelled)
	f.person(t, "Wanda", "pl", "waiting@example.org", store.StatusWaitlisted)
	erased := f.person(t, "Eric", "en", "erased@example.org", store.StatusConfirmed)
	if _, err := f.svc.Privacy.Erase(f.ctx, *erased.Email, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	optedOut := f.person(t, "Otto", "de", "otto@example.org", store.StatusConfirmed)
	// The one-click opt-out link of an earlier message, used.
	_, oneClick, err := f.svc.Messages.OptOutURLs(f.ctx, f.st.DB, optedOut, "de")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(oneClick, "/")
	r, err := f.svc.Messages.VerifyOptOut(f.ctx, parts[len(parts)-2], parts[len(parts)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Messages.OptOut(f.ctx, r, ""); err != nil {
		t.Fatal(err)
	}
	// A changed token opens nothing.
	bad := []byte(parts[len(parts)-1])
	bad[0] ^= 1
	if _, err := f.svc.Messages.VerifyOptOut(f.ctx, parts[len(parts)-2], string(bad)); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("doctored opt-out token: %v", err)
	}

	d := messages.Draft{ProjectID: f.ev.ProjectID, Event: &f.ev, Segment: "no_show", Subject: draftTexts.subject, Body: draftTexts.body}
	pv, err := f.svc.Messages.Preview(f.ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Recipients != len(absent) {
		t.Fatalf("preview: %d recipients, want %d", pv.Recipients, len(absent))
	}
	langs := map[string]int{}
	for _, l := range pv.Languages {
		langs[l.Language] = l.Count
	}
	if len(langs) != 4 || langs["en"] != 2 || langs["lv"] != 1 || langs["ru"] != 1 || langs["de"] != 1 {
		t.Fatalf("preview languages: %v", langs)
	}
	// Essential: opted-out people are included, nobody erased.
	d2 := d
	d2.Essential = true
	if pv2, err := f.svc.Messages.Preview(f.ctx, d2); err != nil || pv2.Recipients != len(absent)+1 {
		t.Fatalf("essential preview: %d, %v", pv2.Recipients, err)
	}

	msg, err := f.svc.Messages.Send(f.ctx, nil, d, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := worker(f, mp, t).RunOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(f.ctx, 20*time.Second)
	defer cancel()
	all, err := mp.WaitFor(ctx, "", len(absent))
	if err != nil {
		t.Fatal(err)
	}
	// Only this message's e-mails (the erasure may have written to its person).
	var got []mailtest.Summary
	for _, s := range all {
		if strings.Contains(s.Subject, "{") || !strings.Contains(s.Subject, "") {
			continue
		}
		for _, sub := range draftTexts.subject {
			if strings.HasPrefix(s.Subject, strings.SplitN(sub, "{", 2)[0]) {
				got = append(got, s)
				break
			}
		}
	}
	if len(got) != len(absent) {
		t.Fatalf("mailpit holds %d messages of this kind, want %d", len(got), len(absent))
	}
	want := map[string]string{ // address -> language of the text
		"liga@example.org": "lv", "olga@example.org": "ru", "peter@example.org": "en", "klaus@example.org": "de", "giulia@example.org": "en",
	}
	for _, s := range got {
		addr := s.To[0].Address
		lang, ok := want[addr]
		if !ok {
			t.Errorf("message to %s, who is not a no-show", addr)
			continue
		}
		delete(want, addr)
		full, err := mp.Message(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		title := f.ev.Title.In(lang)
		wantSubject := strings.ReplaceAll(draftTexts.subject[lang], "{event}", title)
		if full.Subject != wantSubject {
			t.Errorf("%s: subject %q, want %q", addr, full.Subject, wantSubject)
		}
		first := strings.SplitN(draftTexts.body[lang], "{", 2)[0]
		if !strings.HasPrefix(full.Text, first) {
			t.Errorf("%s: body not in %s: %q", addr, lang, full.Text[:min(80, len(full.Text))])
		}
		var reg store.Registration
		for _, a := range absent {
			if *a.Email == addr {
				reg = a
			}
		}
		if !strings.Contains(full.Text, reg.FirstName) || !strings.Contains(full.HTML, reg.FirstName) {
			t.Errorf("%s: first name missing", addr)
		}
		manage, err := f.svc.Registration.ManageURL(f.ctx, f.st.DB, reg)
		if err != nil {
			t.Fatal(err)
		}
		manage = strings.Replace(manage, "/"+reg.Language+"/", "/"+lang+"/", 1)
		if !strings.Contains(full.Text, manage) {
			t.Errorf("%s: private link %s missing from %q", addr, manage, full.Text)
		}
		h, err := mp.Headers(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		lu := strings.Join(h["List-Unsubscribe"], "")
		if !strings.HasPrefix(lu, "<https://attend.example.lv/api/v1/optout/") || strings.Join(h["List-Unsubscribe-Post"], "") != "List-Unsubscribe=One-Click" {
			t.Errorf("%s: opt-out headers %q %q", addr, lu, h["List-Unsubscribe-Post"])
		}
		if !strings.Contains(full.Text, "/"+lang+"/optout/") {
			t.Errorf("%s: no opt-out link in the text", addr)
		}
	}
	if len(want) > 0 {
		t.Errorf("no message for %v", want)
	}

	st, err := f.svc.Messages.Status(f.ctx, msg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Counts["sent"] != len(absent) || len(st.Recipients) != len(absent) {
		t.Fatalf("state: %v", st.Counts)
	}
	var audited int
	if err := f.st.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'message.send' AND object_id = $1`, msg.ID); err != nil || audited != 1 {
		t.Fatalf("audit: %d, %v", audited, err)
	}
	// The person's own access export lists the message.
	klaus := absent["de"]
	ex, err := f.svc.Privacy.ExportPerson(f.ctx, privacy.ExportRequest{Registration: &klaus, Format: "json", Channel: "private_link", Lang: "de"}, privacy.Actor{Label: "participant"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ex.Messages {
		found = found || (m.Kind == messages.Kind && strings.Contains(m.Subject, "vermisst"))
	}
	if !found {
		t.Errorf("the message is not in the person's export: %+v", ex.Messages)
	}
}

// An SMTP outage in the middle of a message: what went out stays sent, the
// rest is retried and goes out when the server is back; each recipient's
// state and attempts show it.
func TestOutboxRetryAfterSMTPOutage(t *testing.T) {
	f := setup(t)
	mp := mailtest.Start(t)
	const n = 6
	for i := range n {
		f.person(t, "P"+string(rune('a'+i)), "en", "p"+string(rune('a'+i))+"@example.org", store.StatusConfirmed)
	}
	d := messages.Draft{ProjectID: f.ev.ProjectID, Event: &f.ev, Segment: "confirmed",
		Subject: map[string]string{"en": "Venue changed"}, Body: map[string]string{"en": "Hello {first_name}, the venue changed."}}
	msg, err := f.svc.Messages.Send(f.ctx, nil, d, "")
	if err != nil {
		t.Fatal(err)
	}
	w := worker(f, mp, t)
	w.Batch = 2
	if c, err := w.RunOnce(f.ctx); err != nil || c != 2 {
		t.Fatalf("first batch: %d, %v", c, err)
	}
	mp.Stop() // the SMTP server goes away mid-send
	for {
		c, err := w.RunOnce(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.svc.Messages.Status(f.ctx, msg.ID)
		if c == 0 || st.Counts["retrying"] == n-2 {
			break
		}
	}
	st, err := f.svc.Messages.Status(f.ctx, msg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Counts["sent"] != 2 || st.Counts["retrying"] != n-2 {
		t.Fatalf("during the outage: %v", st.Counts)
	}
	for _, r := range st.Recipients {
		if r.State() == "retrying" && (r.Attempts != 1 || r.LastError == "") {
			t.Errorf("retrying recipient: attempts %d, error %q", r.Attempts, r.LastError)
		}
	}
	mp.Restart()
	for range 10 {
		if _, err := w.RunOnce(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	st, err = f.svc.Messages.Status(f.ctx, msg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Counts["sent"] != n {
		t.Fatalf("after the outage: %v", st.Counts)
	}
	twice := 0
	for _, r := range st.Recipients {
		if r.Attempts == 2 {
			twice++
		}
	}
	if twice != n-2 {
		t.Errorf("%d recipients needed a second attempt, want %d", twice, n-2)
	}
	ctx, cancel := context.WithTimeout(f.ctx, 10*time.Second)
	defer cancel()
	if _, err := mp.WaitFor(ctx, "", n); err != nil {
		t.Fatal(err)
	}
}

// Bad drafts are field errors and store nothing.
func TestDraftValidation(t *testing.T) {
	f := setup(t)
	f.person(t, "Anna", "lv", "anna@example.org", store.StatusConfirmed)
	ok := func() messages.Draft {
		return messages.Draft{ProjectID: f.ev.ProjectID, Event: &f.ev, Segment: "confirmed",
			Subject: map[string]string{"en": "Hi"}, Body: map[string]string{"en": "Hello {first_name}"}}
	}
	cases := map[string]struct {
		edit  func(*messages.Draft)
		field string
	}{
		"unknown placeholder": {func(d *messages.Draft) { d.Body["en"] = "Hello {name}" }, "body_en"},
		"no fallback subject": {func(d *messages.Draft) { d.Subject = map[string]string{"lv": "Sveiki"}; d.Body["lv"] = "x" }, "subject_en"},
		"empty fallback body": {func(d *messages.Draft) { d.Body["en"] = "  " }, "body_en"},
		"NUL byte":            {func(d *messages.Draft) { d.Body["en"] = "a\x00b" }, "body_en"},
		"invalid UTF-8":       {func(d *messages.Draft) { d.Subject["en"] = "a\xffb" }, "subject_en"},
		"line break subject":  {func(d *messages.Draft) { d.Subject["en"] = "a\nBcc: x@y" }, "subject_en"},
		"unknown segment":     {func(d *messages.Draft) { d.Segment = "everyone" }, "segment"},
		"unknown partner":     {func(d *messages.Draft) { d.Segment = "partner:nowhere" }, "segment"},
		"day outside event":   {func(d *messages.Draft) { d.Segment = "attended"; d.Day = "2030-01-01" }, "day"},
		"unknown language":    {func(d *messages.Draft) { d.Subject["xx"] = "x"; d.Body["xx"] = "y" }, "subject"},
		"huge body":           {func(d *messages.Draft) { d.Body["en"] = strings.Repeat("a", messages.MaxBody+1) }, "body_en"},
	}
	for name, c := range cases {
		d := ok()
		c.edit(&d)
		_, err := f.svc.Messages.Send(f.ctx, nil, d, "")
		inv, isInv := apperr.AsInvalid(err)
		if !isInv || inv.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a field error on %s", name, err, c.field)
		}
	}
	var stored int
	f.st.DB.Get(&stored, `SELECT count(*) FROM messages`)
	if stored != 0 {
		t.Fatalf("%d messages stored by bad drafts", stored)
	}
	// No-shows of an event that has not ended are refused.
	up, err := f.st.EventBySlug(f.ctx, f.st.DB, "decode-5-daugavpils")
	if err != nil {
		t.Fatal(err)
	}
	up.FirstDay, up.LastDay = time.Now().AddDate(0, 0, 10), time.Now().AddDate(0, 0, 11)
	d := ok()
	d.Event, d.Segment = &up, "no_show"
	if _, err := f.svc.Messages.Preview(f.ctx, d); err == nil {
		t.Fatal("no-shows of a future event accepted")
	}
	_ = url.Values{}
	_ = http.MethodPost
}

package registration_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

func newService(st *store.Store) *registration.Service {
	return registration.New(st, regtest.Notifier{}, tickets.New(st), "http://attend.test", time.Now)
}

func person(email string) registration.Input {
	return registration.Input{
		FirstName: "Jūratė", LastName: "Žemaitė", Email: email, Country: "LT", City: "Kaunas",
		Organisation: "Kaunas City Municipality", Participation: "invited", Partner: "kaunas",
		Language: "lt", PrivacyAccepted: true,
	}
}

// confirmLink reads the newest confirmation link sent to an address and returns its token.
func confirmToken(t *testing.T, st *store.Store, email string) string {
	t.Helper()
	u := regtest.Last(t, st, email, "confirm").Link(t, "confirm")
	return u[strings.LastIndexByte(u, '/')+1:]
}

func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterConfirmAndManage(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-flow", regtest.Ptr(10))
	svc := newService(st)

	res, err := svc.Register(ctx, f.Event.Slug, person("jurate@example.lt"), "en")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != store.StatusPending {
		t.Fatalf("result = %+v", res)
	}
	r, _ := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, "jurate@example.lt")
	if r.FirstName != "Jūratė" || r.LastName != "Žemaitė" || r.Language != "lt" || r.PartnerID == nil || r.PrivacyNoticeID == nil {
		t.Fatalf("stored %+v", r)
	}
	if days, _ := st.RegistrationDays(ctx, st.DB, r.ID); len(days) != 3 {
		t.Fatalf("days = %v, want all 3", days)
	}
	if n := count(t, st, `SELECT count(*) FROM consents WHERE registration_id = $1 AND kind = 'privacy_notice'`, r.ID); n != 1 {
		t.Fatalf("privacy consents = %d", n)
	}
	if e, _ := st.Event(ctx, st.DB, f.Event.ID); e.ConfirmedCount != 0 {
		t.Fatalf("a pending registration holds a seat: %d", e.ConfirmedCount)
	}

	mail := regtest.Last(t, st, "jurate@example.lt", "confirm")
	if !strings.HasPrefix(mail.Link(t, "confirm"), "http://attend.test/lt/confirm/") {
		t.Fatalf("confirm link %q", mail.Link(t, "confirm"))
	}
	token := confirmToken(t, st, "jurate@example.lt")
	r, err = svc.Confirm(ctx, token)
	if err != nil || r.Status != store.StatusConfirmed {
		t.Fatalf("confirm: %v %+v", err, r.Status)
	}
	regtest.Last(t, st, "jurate@example.lt", "confirmed")
	// Opening the link again changes nothing and sends nothing.
	before := len(regtest.Mails(t, st, "jurate@example.lt"))
	if r2, err := svc.Confirm(ctx, token); err != nil || r2.Status != store.StatusConfirmed {
		t.Fatalf("second confirm: %v %s", err, r2.Status)
	}
	if after := len(regtest.Mails(t, st, "jurate@example.lt")); after != before {
		t.Fatalf("second confirm sent %d messages", after-before)
	}
	if e, _ := st.Event(ctx, st.DB, f.Event.ID); e.ConfirmedCount != 1 {
		t.Fatalf("confirmed_count = %d", e.ConfirmedCount)
	}

	manage := regtest.Last(t, st, "jurate@example.lt", "confirmed").Link(t, "manage")
	wantPrefix := fmt.Sprintf("http://attend.test/lt/r/%d/", r.ID)
	if !strings.HasPrefix(manage, wantPrefix) {
		t.Fatalf("manage link %q", manage)
	}
	tok := strings.TrimPrefix(manage, wantPrefix)
	if got, err := svc.VerifyManage(ctx, r.ID, tok); err != nil || got.ID != r.ID {
		t.Fatalf("verify manage: %v", err)
	}
	for _, bad := range []string{"", tok[:len(tok)-1] + "a", strings.ToUpper(tok), "x"} {
		if bad == tok {
			continue
		}
		if _, err := svc.VerifyManage(ctx, r.ID, bad); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("token %q: err = %v, want not found", bad, err)
		}
	}
	if _, err := svc.VerifyManage(ctx, r.ID+1000, tok); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("other id: %v", err)
	}
	if _, err := svc.Confirm(ctx, "nosuchtoken"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown confirm token: %v", err)
	}
}

func TestSameAddressLeadsToExistingRegistration(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-same", nil)
	svc := newService(st)

	first, err := svc.Register(ctx, f.Event.Slug, person("Soren@Example.dk"), "en")
	if err != nil {
		t.Fatal(err)
	}
	// Still pending: a fresh confirmation link, the old one stops working.
	oldToken := confirmToken(t, st, "soren@example.dk")
	again := person("soren@example.DK")
	again.FirstName = "Someone else"
	second, err := svc.Register(ctx, f.Event.Slug, again, "en")
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Fatalf("second answer %+v differs from first %+v", second, first)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations WHERE event_id = $1`, f.Event.ID); n != 1 {
		t.Fatalf("%d registrations, want 1", n)
	}
	if r, _ := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, "soren@example.dk"); r.FirstName != "Jūratė" {
		t.Fatalf("an unconfirmed second form overwrote the details: %q", r.FirstName)
	}
	if _, err := svc.Confirm(ctx, oldToken); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("old confirmation link still works: %v", err)
	}
	if _, err := svc.Confirm(ctx, confirmToken(t, st, "soren@example.dk")); err != nil {
		t.Fatal(err)
	}
	// Confirmed: the private link comes again.
	if _, err := svc.Register(ctx, f.Event.Slug, again, "en"); err != nil {
		t.Fatal(err)
	}
	regtest.Last(t, st, "soren@example.dk", "manage_link")
	if err := svc.ResendLink(ctx, f.Event.Slug, "SOREN@example.dk"); err != nil {
		t.Fatal(err)
	}
	if n := len(regtest.Mails(t, st, "soren@example.dk")); n != 5 {
		t.Fatalf("%d messages, want 5 (confirm, confirm, confirmed, link, link)", n)
	}
	// Unknown addresses: the same nil answer and no message.
	if err := svc.ResendLink(ctx, f.Event.Slug, "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	if n := len(regtest.Mails(t, st, "nobody@example.org")); n != 0 {
		t.Fatalf("sent %d messages to an unknown address", n)
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-valid", nil)
	other := regtest.NewFixture(t, st, "ev-other", nil)
	_ = other
	svc := newService(st)
	long := strings.Repeat("a", 101)
	cases := []struct {
		name  string
		edit  func(*registration.Input)
		field string
		key   string
	}{
		{"first name missing", func(in *registration.Input) { in.FirstName = "  " }, "first_name", "reg.error.required"},
		{"name too long", func(in *registration.Input) { in.LastName = long }, "last_name", "reg.error.too_long"},
		{"name 100 runes ok elsewhere", func(in *registration.Input) { in.LastName = strings.Repeat("ž", 100); in.City = "" }, "city", "reg.error.required"},
		{"invalid utf-8", func(in *registration.Input) { in.City = "Kau\xffnas" }, "city", "reg.error.text"},
		{"control character", func(in *registration.Input) { in.FirstName = "Ju\x00rate" }, "first_name", "reg.error.text"},
		{"newline in a name", func(in *registration.Input) { in.FirstName = "a\nb" }, "first_name", "reg.error.text"},
		{"e-mail missing", func(in *registration.Input) { in.Email = "" }, "email", "reg.error.required"},
		{"e-mail invalid", func(in *registration.Input) { in.Email = "not-an-address" }, "email", "reg.error.email"},
		{"e-mail with name", func(in *registration.Input) { in.Email = "Jo <jo@example.org>" }, "email", "reg.error.email"},
		{"e-mail without dot", func(in *registration.Input) { in.Email = "jo@localhost" }, "email", "reg.error.email"},
		{"e-mail too long", func(in *registration.Input) { in.Email = strings.Repeat("a", 250) + "@x.lv" }, "email", "reg.error.too_long"},
		{"phone letters", func(in *registration.Input) { in.Phone = "call me" }, "phone", "reg.error.phone"},
		{"phone too long", func(in *registration.Input) { in.Phone = strings.Repeat("1", 41) }, "phone", "reg.error.too_long"},
		{"country unknown", func(in *registration.Input) { in.Country = "ZZ" }, "country", "reg.error.country"},
		{"country missing", func(in *registration.Input) { in.Country = "" }, "country", "reg.error.required"},
		{"participation unknown", func(in *registration.Input) { in.Participation = "vip" }, "participation", "reg.error.participation"},
		{"invited without partner", func(in *registration.Input) { in.Partner = "" }, "partner", "reg.error.required"},
		{"partner of another project", func(in *registration.Input) { in.Partner = "nowhere" }, "partner", "reg.error.partner"},
		{"day outside the event", func(in *registration.Input) { in.Days = []string{"2001-01-01"} }, "days", "reg.error.days"},
		{"no day", func(in *registration.Input) { in.Days = []string{} }, "days", "reg.error.days"},
		{"bad date", func(in *registration.Input) { in.Days = []string{"tomorrow"} }, "days", "reg.error.days"},
		{"privacy not accepted", func(in *registration.Input) { in.PrivacyAccepted = false }, "privacy_notice_accepted", "reg.error.privacy"},
		{"age band without consent", func(in *registration.Input) { in.AgeBand = "18-25" }, "statistics_consent", "reg.error.stats_consent"},
		{"age band unknown", func(in *registration.Input) { in.AgeBand = "old"; in.StatsConsent = true }, "age_band", "reg.error.age_band"},
		{"gender unknown", func(in *registration.Input) { in.Gender = "x"; in.StatsConsent = true }, "gender", "reg.error.gender"},
		{"needs too long", func(in *registration.Input) { in.NeedsAccess = strings.Repeat("n", 1001) }, "needs", "reg.error.too_long"},
		{"bad language", func(in *registration.Input) { in.Language = "!!" }, "language", "reg.error.language"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := person("valid@example.org")
			c.edit(&in)
			_, err := svc.Register(ctx, f.Event.Slug, in, "en")
			inv, ok := apperr.AsInvalid(err)
			if !ok {
				t.Fatalf("err = %v, want invalid", err)
			}
			if inv.Fields[c.field] != c.key {
				t.Fatalf("fields = %v, want %s: %s", inv.Fields, c.field, c.key)
			}
		})
	}
	if n := count(t, st, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("invalid input stored %d registrations", n)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("invalid input sent %d messages", n)
	}

	// Markup is kept as text, names are NFC-normalised, optional answers need consent.
	in := person("markup@example.org")
	in.FirstName = "Ju\u0304rate\u0307" // combining marks
	in.Organisation = `"><img src=x onerror=alert(1)><script>alert(1)</script>`
	in.AgeBand, in.Gender = "18-25", "female"
	_, err := svc.Register(ctx, f.Event.Slug, in, "en")
	if err == nil {
		t.Fatal("age band without consent accepted")
	}
	in.StatsConsent = true
	if _, err := svc.Register(ctx, f.Event.Slug, in, "en"); err != nil {
		t.Fatal(err)
	}
	r, _ := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, in.Email)
	if r.FirstName != "J\u016brat\u0117" || r.Organisation != in.Organisation || r.AgeBand != "18-25" || r.Gender != "female" {
		t.Fatalf("stored %q %q %q %q", r.FirstName, r.Organisation, r.AgeBand, r.Gender)
	}
	if n := count(t, st, `SELECT count(*) FROM consents WHERE registration_id = $1`, r.ID); n != 3 {
		t.Fatalf("consents = %d, want privacy, age band, gender", n)
	}
}

func TestHoneypotStoresNothing(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-honey", nil)
	in := person("robot@example.org")
	in.Website = "http://spam.example"
	res, err := newService(st).Register(ctx, f.Event.Slug, in, "en")
	if err != nil || res.Status != store.StatusPending {
		t.Fatalf("honeypot answer %v %+v", err, res)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations`) + count(t, st, `SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("honeypot stored %d rows", n)
	}
}

func TestClosedRegistration(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-closed", nil)
	if err := st.SetEventSettings(ctx, st.DB, f.Event.ID, nil, "closed"); err != nil {
		t.Fatal(err)
	}
	if _, err := newService(st).Register(ctx, f.Event.Slug, person("a@example.org"), "en"); !errors.Is(err, apperr.ErrClosed) {
		t.Fatalf("err = %v, want closed", err)
	}
	if _, err := newService(st).Register(ctx, "no-such-event", person("a@example.org"), "en"); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("err = %v, want not found", err)
	}
}

func TestExpiredConfirmationCanBeResent(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-expired", nil)
	svc := newService(st)
	if _, err := svc.Register(ctx, f.Event.Slug, person("late@example.org"), "en"); err != nil {
		t.Fatal(err)
	}
	token := confirmToken(t, st, "late@example.org")
	svc.Now = func() time.Time { return time.Now().Add(49 * time.Hour) }
	r, err := svc.Confirm(ctx, token)
	if !errors.Is(err, registration.ErrExpired) {
		t.Fatalf("err = %v, want expired", err)
	}
	if r.Status != store.StatusPending {
		t.Fatalf("status = %s", r.Status)
	}
	if err := svc.ResendConfirmation(ctx, token); err != nil {
		t.Fatal(err)
	}
	fresh := confirmToken(t, st, "late@example.org")
	if fresh == token {
		t.Fatal("no new link")
	}
	if r, err = svc.Confirm(ctx, fresh); err != nil || r.Status != store.StatusConfirmed {
		t.Fatalf("confirm fresh link: %v %s", err, r.Status)
	}
}

// The acceptance test: 1,000 people confirm at once for the last 100
// places; exactly 100 get a seat, 900 wait, nobody gets an error; cancelling
// 10 promotes the next 10 in order and tells them.
func TestConcurrentConfirmationsForLastPlaces(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency test")
	}
	const people, places = 1000, 100
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-rush", regtest.Ptr(places))
	svc := newService(st)

	emails := make([]string, people)
	run := func(n int, fn func(i int) error) []error {
		var wg sync.WaitGroup
		errs := make([]error, n)
		sem := make(chan struct{}, 32)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				errs[i] = fn(i)
			}()
		}
		wg.Wait()
		return errs
	}
	for i, err := range run(people, func(i int) error {
		emails[i] = fmt.Sprintf("p%04d@example.org", i)
		in := person(emails[i])
		in.FirstName = fmt.Sprintf("Person %d", i)
		_, err := svc.Register(ctx, f.Event.Slug, in, "en")
		return err
	}) {
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
	}
	var tokens []string
	if err := st.DB.Select(&tokens, `SELECT substring(text_body from '/confirm/([a-z0-9]+)') FROM outbox WHERE kind = 'confirm' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != people {
		t.Fatalf("%d confirmation links", len(tokens))
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, people)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = svc.Confirm(ctx, tokens[i])
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("confirm %d: %v", i, err)
		}
	}
	c, _ := st.EventRegistrationCounts(ctx, st.DB, f.Event.ID)
	if c.Confirmed != places || c.Waitlisted != people-places || c.Pending != 0 {
		t.Fatalf("counts %+v, want %d confirmed and %d waitlisted", c, places, people-places)
	}
	e, _ := st.Event(ctx, st.DB, f.Event.ID)
	days, _ := st.EventDays(ctx, st.DB, f.Event.ID)
	if e.ConfirmedCount != places || days[0].ConfirmedCount != places {
		t.Fatalf("counters event %d day %d", e.ConfirmedCount, days[0].ConfirmedCount)
	}
	if n := count(t, st, `SELECT count(DISTINCT waitlist_seq) FROM registrations WHERE status = 'waitlisted'`); n != people-places {
		t.Fatalf("waiting-list positions not unique: %d", n)
	}
	// A confirmation is written as if a seat were free and undone when none
	// was: the waiting list must hold none of it.
	if n := count(t, st, `SELECT count(*) FROM outbox o JOIN registrations r ON r.id = o.registration_id
		WHERE o.kind = 'confirmed' AND r.status = 'confirmed'`); n != places {
		t.Fatalf("%d ticket messages to confirmed people, want %d", n, places)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox WHERE kind = 'confirmed'`); n != places {
		t.Fatalf("%d ticket messages in all, want %d", n, places)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox o JOIN registrations r ON r.id = o.registration_id
		WHERE o.kind = 'waitlisted' AND r.status = 'waitlisted'`); n != people-places {
		t.Fatalf("%d waiting-list messages, want %d", n, people-places)
	}

	var next []int64
	if err := st.DB.Select(&next, `SELECT id FROM registrations WHERE status = 'waitlisted' ORDER BY waitlist_seq LIMIT 10`); err != nil {
		t.Fatal(err)
	}
	var cancel []int64
	if err := st.DB.Select(&cancel, `SELECT id FROM registrations WHERE status = 'confirmed' ORDER BY id LIMIT 10`); err != nil {
		t.Fatal(err)
	}
	for i, err := range run(len(cancel), func(i int) error { return svc.Cancel(ctx, cancel[i], nil) }) {
		if err != nil {
			t.Fatalf("cancel %d: %v", i, err)
		}
	}
	var promoted []int64
	if err := st.DB.Select(&promoted, `SELECT registration_id FROM outbox WHERE kind = 'promoted' ORDER BY registration_id`); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(promoted) != fmt.Sprint(sortedCopy(next)) {
		t.Fatalf("promoted %v, want the next 10 in order %v", promoted, next)
	}
	for _, id := range next {
		if r, _ := st.Registration(ctx, st.DB, id); r.Status != store.StatusConfirmed || r.WaitlistSeq != nil {
			t.Fatalf("registration %d: %s", id, r.Status)
		}
	}
	c, _ = st.EventRegistrationCounts(ctx, st.DB, f.Event.ID)
	e, _ = st.Event(ctx, st.DB, f.Event.ID)
	if c.Confirmed != places || c.Cancelled != 10 || c.Waitlisted != people-places-10 || e.ConfirmedCount != places {
		t.Fatalf("after cancelling: %+v, counter %d", c, e.ConfirmedCount)
	}
}

func sortedCopy(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDayCapacityAndChangeDays(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-days", nil)
	day1 := f.Event.FirstDay.Format("2006-01-02")
	day2 := f.Event.FirstDay.AddDate(0, 0, 1).Format("2006-01-02")
	if _, err := st.DB.Exec(`UPDATE event_days SET capacity = 1 WHERE event_id = $1 AND day = $2`, f.Event.ID, day1); err != nil {
		t.Fatal(err)
	}
	svc := newService(st)
	confirm := func(email string, days []string) store.Registration {
		t.Helper()
		in := person(email)
		in.Days = days
		if _, err := svc.Register(ctx, f.Event.Slug, in, "en"); err != nil {
			t.Fatal(err)
		}
		r, err := svc.Confirm(ctx, confirmToken(t, st, email))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := confirm("a@example.org", nil)
	b := confirm("b@example.org", []string{day1})
	c := confirm("c@example.org", []string{day2})
	if a.Status != "confirmed" || b.Status != "waitlisted" || c.Status != "confirmed" {
		t.Fatalf("statuses %s %s %s", a.Status, b.Status, c.Status)
	}
	// C cannot add the full day 1.
	if _, err := svc.ChangeDays(ctx, c.ID, []string{day1, day2}, nil); err == nil {
		t.Fatal("added a full day")
	} else if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["days"] != "reg.error.day_full" {
		t.Fatalf("err = %v", err)
	}
	// A gives up day 1: B, waiting for it, is promoted.
	if _, err := svc.ChangeDays(ctx, a.ID, []string{day2}, nil); err != nil {
		t.Fatal(err)
	}
	regtest.Last(t, st, "a@example.org", "changed")
	if r, _ := st.Registration(ctx, st.DB, b.ID); r.Status != "confirmed" {
		t.Fatalf("B is %s after day 1 was freed", r.Status)
	}
	regtest.Last(t, st, "b@example.org", "promoted")
	days, _ := st.EventDays(ctx, st.DB, f.Event.ID)
	if days[0].ConfirmedCount != 1 || days[1].ConfirmedCount != 2 || days[2].ConfirmedCount != 0 {
		t.Fatalf("day counters %d %d %d", days[0].ConfirmedCount, days[1].ConfirmedCount, days[2].ConfirmedCount)
	}
	if _, err := svc.ChangeDays(ctx, a.ID, []string{}, nil); err == nil {
		t.Fatal("no days accepted")
	}

	// Details: names change, consent withdrawn is recorded.
	in := person("ignored@example.org")
	in.FirstName, in.LastName = "Łukasz", "Wójcik"
	in.PhotoConsent = true
	r, err := svc.UpdateDetails(ctx, a.ID, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstName != "Łukasz" || *r.Email != "a@example.org" || !r.PhotoConsent {
		t.Fatalf("details %+v", r)
	}
	if n := count(t, st, `SELECT count(*) FROM consents WHERE registration_id = $1 AND kind = 'photos' AND given`, a.ID); n != 1 {
		t.Fatalf("photo consent rows %d", n)
	}

	// Cancelling twice is harmless; registering again reopens the registration.
	if err := svc.Cancel(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := svc.Cancel(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'registration.cancel' AND object_id = $1`, fmt.Sprint(c.ID)); n != 1 {
		t.Fatalf("audit rows %d", n)
	}
	if _, err := svc.Register(ctx, f.Event.Slug, person("c@example.org"), "en"); err != nil {
		t.Fatalf("re-register: %v", err)
	}
	if r, _ := st.RegistrationByEmail(ctx, st.DB, f.Event.ID, "c@example.org"); r.ID != c.ID {
		t.Fatalf("re-registering made registration %d, want %d", r.ID, c.ID)
	}
	if r, _ := st.Registration(ctx, st.DB, c.ID); r.Status != store.StatusPending {
		t.Fatalf("re-registered status %s", r.Status)
	}
}

func TestDelegation(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-deleg", regtest.Ptr(2))
	svc := newService(st)
	kaunas := f.Partners["kaunas"]
	u := store.User{Email: "coord@kaunas.lt", Name: "Coordinator", Role: auth.RolePartner, PartnerID: &kaunas.ID}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	actor := &auth.Principal{UserID: u.ID, Role: u.Role, PartnerID: u.PartnerID, PartnerProjectID: kaunas.ProjectID, Email: u.Email, Language: "lt"}
	members := []registration.Member{
		{FirstName: "Jūratė", LastName: "Žemaitė", Email: "jurate@kaunas.lt"},
		{},
		{FirstName: "Rūta", LastName: "Butkus"},
		{FirstName: "Tomas", LastName: "Jankauskas", Email: "tomas@kaunas.lt", Country: "LT", City: "Vilnius"},
	}
	// One invalid row refuses the whole delegation.
	bad := append([]registration.Member(nil), members...)
	bad[3].Email = "jurate@kaunas.lt"
	_, err := svc.RegisterDelegation(ctx, actor, registration.DelegationInput{EventSlug: f.Event.Slug, PrivacyInformed: true, Members: bad})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["members.3.email"] != "reg.error.duplicate" {
		t.Fatalf("duplicate row: %v", err)
	}
	_, err = svc.RegisterDelegation(ctx, actor, registration.DelegationInput{EventSlug: f.Event.Slug, Members: members})
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["privacy_informed"] == "" {
		t.Fatalf("privacy: %v", err)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("refused delegation stored %d rows", n)
	}

	d, err := svc.RegisterDelegation(ctx, actor, registration.DelegationInput{EventSlug: f.Event.Slug, PrivacyInformed: true, Members: members})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := st.DelegationMembers(ctx, st.DB, d.ID)
	if err != nil || len(ms) != 3 {
		t.Fatalf("members %d %v", len(ms), err)
	}
	status := map[string]string{}
	for _, m := range ms {
		status[m.FirstName] = string(m.Status)
		if m.Participation != "invited" || m.PartnerID == nil || *m.PartnerID != kaunas.ID || m.Source != "delegation" {
			t.Fatalf("member %+v", m.Registration)
		}
	}
	if status["Jūratė"] != "confirmed" || status["Rūta"] != "confirmed" || status["Tomas"] != "waitlisted" {
		t.Fatalf("statuses %v", status)
	}
	// The member without an address: the ticket goes to the coordinator.
	regtest.Last(t, st, "coord@kaunas.lt", "confirmed")
	regtest.Last(t, st, "jurate@kaunas.lt", "confirmed")
	regtest.Last(t, st, "tomas@kaunas.lt", "waitlisted")
	sums, err := st.Delegations(ctx, st.DB, 0, kaunas.ID)
	if err != nil || len(sums) != 1 || sums[0].Members != 3 || sums[0].Confirmed != 2 || sums[0].Waitlisted != 1 {
		t.Fatalf("summary %+v %v", sums, err)
	}
	// A partner coordinator without a partner, or of another network, cannot
	// register anyone: to them the event does not exist.
	_, err = svc.RegisterDelegation(ctx, &auth.Principal{UserID: u.ID, Role: auth.RolePartner}, registration.DelegationInput{EventSlug: f.Event.Slug, PrivacyInformed: true, Members: members})
	if !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("no partner: %v", err)
	}
	_, err = svc.RegisterDelegation(ctx, &auth.Principal{UserID: u.ID, Role: auth.RolePartner, PartnerID: u.PartnerID, PartnerProjectID: kaunas.ProjectID + 1},
		registration.DelegationInput{EventSlug: f.Event.Slug, PrivacyInformed: true, Members: members})
	if !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("partner of another network: %v", err)
	}
}

func TestCountriesSorted(t *testing.T) {
	cs := registration.Countries()
	for i := 1; i < len(cs); i++ {
		if cs[i-1] >= cs[i] {
			t.Fatalf("country list not sorted at %s", cs[i])
		}
	}
	if !registration.ValidCountry("LV") || registration.ValidCountry("ZZ") {
		t.Fatal("ValidCountry")
	}
}

// Confirmations, day changes and cancellations at once never deadlock, and the
// seat counters always equal the confirmed registrations.
func TestConcurrentChangesKeepCountersExact(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-mixed", regtest.Ptr(20))
	days := []string{}
	for _, d := range f.Event.Days() {
		days = append(days, d.Format("2006-01-02"))
	}
	if _, err := st.DB.Exec(`UPDATE event_days SET capacity = 8 WHERE event_id = $1 AND day = $2`, f.Event.ID, days[0]); err != nil {
		t.Fatal(err)
	}
	svc := newService(st)
	const n = 40
	tokens := make([]string, n)
	for i := range n {
		email := fmt.Sprintf("m%02d@example.org", i)
		in := person(email)
		if i%2 == 0 {
			in.Days = days[1:]
		}
		if _, err := svc.Register(ctx, f.Event.Slug, in, "en"); err != nil {
			t.Fatal(err)
		}
		tokens[i] = confirmToken(t, st, email)
	}
	var ids []int64
	if err := st.DB.Select(&ids, `SELECT id FROM registrations ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := svc.Confirm(ctx, tokens[i]); err != nil {
				errs <- fmt.Errorf("confirm %d: %w", i, err)
			}
			switch i % 4 {
			case 1:
				_, err := svc.ChangeDays(ctx, ids[i], days[:1], nil)
				if _, invalid := apperr.AsInvalid(err); err != nil && !invalid {
					errs <- fmt.Errorf("change %d: %w", i, err)
				}
			case 2:
				if err := svc.Cancel(ctx, ids[i], nil); err != nil {
					errs <- fmt.Errorf("cancel %d: %w", i, err)
				}
			case 3:
				_, err := svc.ChangeDays(ctx, ids[i], days, nil)
				if _, invalid := apperr.AsInvalid(err); err != nil && !invalid {
					errs <- fmt.Errorf("change %d: %w", i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e, _ := st.Event(ctx, st.DB, f.Event.ID)
	c, _ := st.EventRegistrationCounts(ctx, st.DB, f.Event.ID)
	if e.ConfirmedCount != c.Confirmed || c.Confirmed > 20 {
		t.Fatalf("event counter %d, confirmed %d", e.ConfirmedCount, c.Confirmed)
	}
	eds, _ := st.EventDays(ctx, st.DB, f.Event.ID)
	for _, d := range eds {
		want := count(t, st, `SELECT count(*) FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id
			WHERE rd.event_id = $1 AND rd.day = $2 AND r.status = 'confirmed'`, f.Event.ID, d.Day)
		if d.ConfirmedCount != want || (d.Capacity != nil && want > *d.Capacity) {
			t.Errorf("day %s: counter %d, confirmed %d", d.Day.Format("2006-01-02"), d.ConfirmedCount, want)
		}
	}
}

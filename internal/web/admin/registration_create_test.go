package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// A coordinator adds a person on the registrations screen: a missing town is
// refused with the message beside the field and nothing stored; with it the
// person is confirmed, the registration page offers the ticket to print, and
// the ticket reaches the person over SMTP (mailpit, fed by the real outbox
// worker). A second person without "e-mail the ticket" gets no message.
func TestBrowserAddPerson(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	mp := mailtest.Start(t)
	s := webtest.New(t, webtest.Options{SelfBaseURL: true, Env: map[string]string{"ATTEND_SMTP_URL": mp.SMTPURL}})
	st := s.Store
	f := regtest.NewFixture(t, st, "ev-desk", nil)
	runOutbox(t, s)
	ctx := context.Background()
	u := store.User{Email: "coord@daugavpils.lv", Name: "Coordinator", Role: auth.RoleCoordinator, ProjectID: &f.Project.ID, Language: "en"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(st, time.Now).StartSession(ctx, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	bctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, bctx, s.URL+"/", auth.SessionCookie, cookie)
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	waitPath := func(prefix string) {
		t.Helper()
		for range 50 {
			if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`location.pathname.startsWith(`+jsString(prefix)+`) && document.readyState === "complete"`)); err == nil && ok {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("no page %s, at %s", prefix, eval(`location.href`))
	}

	// The list links to the form of the event it shows.
	run(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(s.URL+"/admin/registrations?event="+f.Event.Slug), chromedp.WaitReady("body"))
	run(chromedp.Click(`a[href="/admin/events/` + f.Event.Slug + `/registrations/new"]`))
	waitPath("/admin/events/" + f.Event.Slug + "/registrations/new")
	browsertest.AssertAccessible(t, bctx, "add a person")
	browsertest.Screenshot(t, bctx, "admin-add-person")
	if eval(`String(document.querySelector("#send_ticket").checked) + document.querySelectorAll("input[name=days]:checked").length`) != "true3" {
		t.Fatal("the ticket is not e-mailed by default, or not every day is ticked")
	}

	// One error first: no town.
	run(chromedp.SendKeys("#first_name", "Jūratė"), chromedp.SendKeys("#last_name", "Žemaitė"),
		chromedp.SendKeys("#email", "jurate@kaunas.lt"), chromedp.SendKeys("#organisation", "Kaunas City Municipality"))
	eval(`document.querySelector("#country").value = "LT"; document.querySelector("#partner").value = "kaunas"; ""`)
	run(chromedp.Click("#participation-invited"), chromedp.Click("#privacy"),
		chromedp.SendKeys("#reason", "Registered by phone"), chromedp.Click("#add-submit"))
	waitFor := func(js string) {
		t.Helper()
		for range 50 {
			if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("waited in vain for %s, at %s", js, eval(`location.href`))
	}
	waitFor(`document.readyState === "complete" && !!document.querySelector("#city-error")`)
	if msg := eval(`(document.querySelector("#city-error") || {}).textContent || ""`); msg == "" {
		t.Fatalf("no message beside the town: %s", eval(`document.querySelector("main").innerText`))
	}
	if eval(`document.querySelector("#city").getAttribute("aria-invalid")`) != "true" ||
		eval(`document.querySelector("#first_name").value`) != "Jūratė" || eval(`document.querySelector("#reason").value`) != "Registered by phone" {
		t.Fatal("the typed answers are not kept, or the field is not marked")
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM registrations`)
	if n != 0 {
		t.Fatalf("a refused form stored %d registrations", n)
	}
	browsertest.AssertAccessible(t, bctx, "add a person, with an error")
	browsertest.Screenshot(t, bctx, "admin-add-person-error")
	run(chromedp.EmulateViewport(390, 844))
	browsertest.Screenshot(t, bctx, "admin-add-person-error-phone")
	run(chromedp.EmulateViewport(1280, 900))

	// Then success: the registration page, with the ticket to print.
	run(chromedp.SendKeys("#city", "Kaunas"), chromedp.Click("#add-submit"))
	waitPath("/admin/registrations/")
	text := eval(`document.querySelector("main").innerText`)
	for _, want := range []string{"Jūratė Žemaitė", "The person is registered and their ticket is on its way by e-mail.", "Print the ticket"} {
		if !strings.Contains(text, want) {
			t.Errorf("registration page lacks %q:\n%s", want, text)
		}
	}
	browsertest.AssertAccessible(t, bctx, "registration added")
	browsertest.Screenshot(t, bctx, "admin-person-added")
	var r store.Registration
	if err := st.DB.Get(&r, `SELECT id, status, source FROM registrations WHERE email = 'jurate@kaunas.lt'`); err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusConfirmed || r.Source != "admin" {
		t.Fatalf("registration %+v", r)
	}
	// The ticket PDF, as the link gives it, audited.
	pdfURL := eval(`document.querySelector("a[href$='/ticket.pdf']").href`)
	req, _ := http.NewRequest(http.MethodGet, pdfURL, nil)
	req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF") {
		t.Fatalf("ticket PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'export.ticket' AND object_id = $1`, itoa(r.ID))
	if n != 1 {
		t.Errorf("%d audit entries for the printed ticket", n)
	}
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'registration.create_by_staff' AND details->>'reason' = 'Registered by phone'`)
	if n != 1 {
		t.Errorf("%d audit entries with the reason", n)
	}
	// The ticket e-mail, as received over SMTP.
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	got, err := mp.WaitFor(wctx, "jurate@kaunas.lt", 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("ticket e-mail: %v %d", err, len(got))
	}

	// A second person, the ticket printed only: no message.
	run(chromedp.Navigate(s.URL+"/admin/events/"+f.Event.Slug+"/registrations/new"), chromedp.WaitReady("#add-submit"),
		chromedp.SendKeys("#first_name", "Anna"), chromedp.SendKeys("#last_name", "Bērziņa"),
		chromedp.SendKeys("#email", "anna@example.lv"), chromedp.SendKeys("#city", "Daugavpils"))
	eval(`document.querySelector("#country").value = "LV"; ""`)
	run(chromedp.Click("#participation-local"), chromedp.Click("#privacy"), chromedp.Click("#send_ticket"),
		chromedp.SendKeys("#reason", "At the desk"), chromedp.Click("#add-submit"))
	waitPath("/admin/registrations/")
	if text := eval(`document.querySelector("main").innerText`); !strings.Contains(text, "Print their ticket below") {
		t.Errorf("second person's page:\n%s", text)
	}
	// Give the worker time to send anything it was given, then look.
	time.Sleep(time.Second)
	st.DB.Get(&n, `SELECT count(*) FROM outbox WHERE to_addr = 'anna@example.lv'`)
	if n != 0 {
		t.Errorf("%d messages queued for a printed ticket", n)
	}
	if all, err := mp.Messages(); err != nil || len(all) != 1 {
		t.Errorf("mailpit holds %d messages, want only the first ticket: %v", len(all), err)
	}
}

// runOutbox runs the real outbox worker against the server's SMTP settings until the test ends.
func runOutbox(t *testing.T, s *webtest.Server) {
	t.Helper()
	sender, err := mail.NewSender(s.Config.SMTPURL, s.Config.MailFrom)
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Store: s.Store, Sender: sender, Poll: 50 * time.Millisecond,
		Log:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Backoff: func(int) time.Duration { return time.Second }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func jsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

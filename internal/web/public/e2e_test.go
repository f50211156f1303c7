package public_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/registration/regtest"
)

// browser wraps a chromedp tab with the steps the test repeats.
type browser struct {
	t   *testing.T
	ctx context.Context
	e   *env
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.visit(b.e.srv.URL + path)
}

// visit opens a full URL, such as a link from an e-mail.
func (b *browser) visit(u string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u)); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

func (b *browser) keys(k string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.KeyEvent(k)); err != nil {
		b.t.Fatalf("keys: %v", err)
	}
}

func (b *browser) focused() string {
	return b.eval(`document.activeElement ? document.activeElement.id : ""`)
}

// tabTo presses Tab until the element with id has the focus, proving that
// it is reachable by keyboard in a sensible order.
func (b *browser) tabTo(id string) {
	b.t.Helper()
	for range 60 {
		if b.focused() == id {
			return
		}
		b.keys(kb.Tab)
	}
	b.t.Fatalf("Tab never reached #%s (stuck at #%s)", id, b.focused())
}

// submit presses key on the focused element and waits until a new page
// whose path starts with prefix has loaded.
func (b *browser) submit(key, prefix string) {
	b.t.Helper()
	b.eval(`window.__before = "1"`)
	b.keys(key)
	cond := `!window.__before && location.pathname.startsWith(` + jsString(prefix) + `) && document.readyState === "complete"`
	var err error
	for range 20 {
		// Polling fails while the tab navigates; ask again on the new page.
		if _, err = chromedp.Run(b.ctx, chromedp.Poll[bool](cond)); err == nil {
			return
		}
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.t.Fatalf("waiting for %s: %v (at %s)", prefix, err, loc)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return b.eval(`(document.querySelector(` + jsString(sel) + `) || {innerText: ""}).innerText`)
}

func jsString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// The browser test: keyboard-only registration with announced errors,
// confirmation by the link in the e-mail as delivered over SMTP (mailpit, fed
// by the real outbox worker) and the button of the page it opens, the confirmed state, the ticket e-mail and the
// ticket with its QR code, and axe-core on every public page on the way.
func TestBrowserRegistration(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	e, mb := newMailEnv(t, regtest.Ptr(50))
	ctx, _ := browsertest.NewContext(t)
	b := &browser{t: t, ctx: ctx, e: e}
	slug := e.f.Event.Slug

	b.open("/en/")
	browsertest.AssertAccessible(t, ctx, "home")
	b.open("/en/events/" + slug)
	browsertest.AssertAccessible(t, ctx, "event page")
	b.open("/lv/events/" + slug + "/register")
	browsertest.AssertAccessible(t, ctx, "form (lv)")
	b.open("/en/events/" + slug + "/register")
	browsertest.AssertAccessible(t, ctx, "form")

	// First attempt: only the first name, then Enter. The errors come back
	// in an alert summary that has the focus and links to each field.
	b.tabTo("f-first_name")
	b.keys("Jūratė")
	b.submit(kb.Enter, "/en/events/"+slug+"/register")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector('[role="alert"]')`)); err != nil {
		t.Fatalf("no error summary: %v", err)
	}
	if got := b.focused(); got != "error-summary" {
		t.Errorf("focus after errors on #%s, want the error summary", got)
	}
	summary := b.text("#error-summary")
	for _, want := range []string{"Last name", "E-mail address", "Country", "How do you take part?", "Privacy"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if got := b.eval(`document.querySelector('#error-summary a[href="#f-email"]') ? "ok" : ""`); got != "ok" {
		t.Error("summary does not link to the e-mail field")
	}
	if got := b.eval(`document.getElementById("f-email").getAttribute("aria-invalid") || ""`); got != "true" {
		t.Errorf("e-mail aria-invalid = %q", got)
	}
	if got := b.eval(`(function(){ var ids = (document.getElementById("f-email").getAttribute("aria-describedby") || "").split(" "); return ids.map(function(id){ var el = document.getElementById(id); return el ? el.innerText : "?"; }).join("|"); })()`); !strings.Contains(got, "This field is required.") {
		t.Errorf("e-mail described by %q", got)
	}
	if got := b.eval(`document.getElementById("f-first_name").value`); got != "Jūratė" {
		t.Errorf("first name not kept: %q", got)
	}
	browsertest.AssertAccessible(t, ctx, "form with errors")
	browsertest.Screenshot(t, ctx, "form-errors")

	// Follow the summary link to the field, then fill the rest by keyboard.
	b.tabTo("f-last_name")
	b.keys("Žemaitė")
	b.tabTo("f-email")
	b.keys("jurate@example.lt")
	b.tabTo("f-country")
	b.keys("Lithuania")
	b.tabTo("f-city")
	b.keys("Kaunas")
	b.tabTo("f-organisation")
	b.keys(`<b>Kaunas</b> "City"`)
	b.tabTo("f-participation-local")
	b.keys(kb.ArrowDown) // moves to and selects "invited"
	if got := b.focused(); got != "f-participation-invited" {
		t.Fatalf("arrow key went to #%s", got)
	}
	b.tabTo("f-partner")
	b.keys("Kaunas")
	b.tabTo("f-privacy")
	b.keys(" ")
	if got := b.eval(`String(document.getElementById("f-privacy").checked)`); got != "true" {
		t.Fatal("space did not tick the privacy box")
	}
	if got := b.eval(`document.getElementById("f-country").value + "/" + document.getElementById("f-partner").value`); got != "LT/kaunas" {
		t.Fatalf("selects by typing: %s", got)
	}
	b.tabTo("f-submit")
	b.submit(kb.Enter, "/en/events/"+slug+"/registered")
	if h := b.text("h1"); h != "Check your e-mail" {
		t.Fatalf("after submitting: %q", h)
	}
	browsertest.AssertAccessible(t, ctx, "check your e-mail")

	// The confirmation e-mail, as received by the SMTP server: its link opens
	// a page that changes nothing (mail scanners open links too); its button,
	// pressed from the keyboard, confirms.
	confirm := mb.message(t, "jurate@example.lt", 1, "Please confirm your e-mail address")
	link := mailLink(t, confirm, confirmLinkRE)
	b.visit(link)
	if h := b.text("h1"); h != "Confirm your registration" {
		t.Fatalf("confirmation link page: %q", h)
	}
	if n := e.count(t, `SELECT count(*) FROM registrations WHERE email = 'jurate@example.lt' AND status = 'pending_confirmation'`); n != 1 {
		t.Fatal("opening the link confirmed")
	}
	browsertest.AssertAccessible(t, ctx, "confirmation link")
	b.eval(`document.querySelector("main form button").focus(), ""`)
	b.submit(kb.Enter, regtest.Path(link))
	if h := b.text("h1"); h != "Thank you, you are registered" {
		t.Fatalf("confirmation page: %q", h)
	}
	browsertest.AssertAccessible(t, ctx, "confirmed")
	browsertest.Screenshot(t, ctx, "confirmed")

	// The ticket e-mail follows, with the PDF ticket and the private link.
	ticketMail := mb.message(t, "jurate@example.lt", 2, "Your ticket")
	hasPDF := false
	for _, a := range ticketMail.Attachments {
		hasPDF = hasPDF || a.ContentType == "application/pdf"
	}
	if !hasPDF {
		t.Errorf("ticket e-mail attachments %+v lack the PDF", ticketMail.Attachments)
	}
	if !strings.Contains(ticketMail.Text, "Jūratė") {
		t.Errorf("ticket e-mail text lacks the name:\n%s", ticketMail.Text)
	}
	manage := regtest.Path(mailLink(t, ticketMail, manageLinkRE))
	b.open(manage)
	if got := b.text(".status-card"); !strings.Contains(got, "Confirmed") {
		t.Fatalf("status card %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "Jūratė Žemaitė") || !strings.Contains(got, `<b>Kaunas</b> "City"`) {
		t.Fatalf("manage page shows %q", got)
	}
	browsertest.AssertAccessible(t, ctx, "self-service")
	browsertest.Screenshot(t, ctx, "manage")
	b.open(manage + "/edit")
	browsertest.AssertAccessible(t, ctx, "change details")
	b.open(manage + "/cancel")
	browsertest.AssertAccessible(t, ctx, "cancel")
	browsertest.Screenshot(t, ctx, "cancel")
	b.open("/en/resend-link?event=" + slug)
	browsertest.AssertAccessible(t, ctx, "resend link")
	b.open("/ru/events/" + slug)
	browsertest.AssertAccessible(t, ctx, "event page (ru)")

	// An expired confirmation link offers a new one.
	if resp, _ := e.post(t, "/en/events/"+slug+"/register", "/en/events/"+slug+"/register", e.validForm("late@example.org")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second registration: %d", resp.StatusCode)
	}
	if _, err := e.st.DB.Exec(`UPDATE registrations SET confirm_expires_at = now() - interval '1 hour' WHERE email = 'late@example.org'`); err != nil {
		t.Fatal(err)
	}
	b.visit(mailLink(t, mb.message(t, "late@example.org", 1, "Please confirm your e-mail address"), confirmLinkRE))
	if h := b.text("h1"); h != "The link has expired" {
		t.Fatalf("expired link page: %q", h)
	}
	browsertest.AssertAccessible(t, ctx, "expired link")

	// The ticket, reached by the link in the ticket e-mail: the QR code is
	// there and has loaded.
	b.open(manage + "/ticket")
	if got := b.text("main"); !strings.Contains(got, "Jūratė Žemaitė") {
		t.Fatalf("ticket page shows %q", got)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function(){ var i = document.querySelector(".ticket-qr img"); return !!i && i.complete && i.naturalWidth > 0; })()`)); err != nil {
		t.Fatalf("QR code not shown: %v", err)
	}
	browsertest.AssertAccessible(t, ctx, "ticket")
	browsertest.Screenshot(t, ctx, "ticket")
}

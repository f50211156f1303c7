package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
)

// A coordinator, in a real browser on the admin page of a past event, sets
// the signatory, publishes the results page and sends the certificates; the
// page passes the accessibility audit before and after.
func TestCertificatesAndResultsInBrowser(t *testing.T) {
	f := newFixture(t, nil)
	const slug = "decode-1-daugavpils" // past in the demo, with attendance
	cookie, _ := f.session(t, "coordinator")
	ctx, cancel := browsertest.NewContext(t)
	defer cancel()
	browsertest.SetCookie(t, ctx, f.app.URL, auth.SessionCookie, cookie)
	page := f.app.URL + "/admin/events/" + slug
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(page), chromedp.WaitVisible("#certificates")); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertAccessible(t, ctx, "event page")
	if err := chromedp.Do(ctx,
		chromedp.SetValue("#signatory_name", "Inese Ozola"),
		chromedp.SetValue("#signatory_position", "Head of department"),
	); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() { // how far the server got, to tell a slow server from a stuck page
			var certs, mails int
			f.st.DB.Get(&certs, `SELECT count(*) FROM certificates`)
			f.st.DB.Get(&mails, `SELECT count(*) FROM outbox WHERE kind = 'certificate'`)
			t.Logf("at the end: %d certificates, %d certificate e-mails", certs, mails)
		}
	})
	browsertest.Submit(t, ctx, `form[action$="/certificates"] button`, "done=certificates_saved")
	browsertest.Submit(t, ctx, `form[action$="/results/publish"] button`, "done=results_published")
	browsertest.Submit(t, ctx, `form[action$="/certificates/send"] button`, "done=certificates_sent")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`p.notice.success`)); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertAccessible(t, ctx, "event page after sending")
	browsertest.Screenshot(t, ctx, "admin-event-certificates")
	var name string
	var published, certs, attended, mails int
	f.st.DB.Get(&name, `SELECT signatory_name FROM event_certificate_settings s JOIN events e ON e.id = s.event_id WHERE e.slug = $1`, slug)
	f.st.DB.Get(&published, `SELECT count(*) FROM event_results r JOIN events e ON e.id = r.event_id WHERE e.slug = $1`, slug)
	f.st.DB.Get(&certs, `SELECT count(*) FROM certificates c JOIN events e ON e.id = c.event_id WHERE e.slug = $1`, slug)
	f.st.DB.Get(&attended, `SELECT count(DISTINCT a.registration_id) FROM admissions a JOIN events e ON e.id = a.event_id
		JOIN registrations r ON r.id = a.registration_id
		WHERE e.slug = $1 AND a.undone_at IS NULL AND r.status = 'confirmed' AND r.erased_at IS NULL AND r.anonymised_at IS NULL`, slug)
	f.st.DB.Get(&mails, `SELECT count(*) FROM outbox WHERE kind = 'certificate'`)
	if name != "Inese Ozola" || published != 1 || certs == 0 || certs != attended || mails == 0 {
		t.Fatalf("signatory %q, published %d, certificates %d for %d attendees, %d e-mails", name, published, certs, attended, mails)
	}
	// The public verification page, valid and not, on a phone.
	var code string
	f.st.DB.Get(&code, `SELECT code FROM certificates ORDER BY id LIMIT 1`)
	for _, p := range []string{"/verify/" + code, "/lv/verify/" + code[:20]} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(f.app.URL+p), chromedp.WaitVisible("#verdict")); err != nil {
			t.Fatal(err)
		}
		browsertest.AssertAccessible(t, ctx, p)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.app.URL+"/verify/"+code), chromedp.WaitVisible("#verdict")); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "verify-phone")
}

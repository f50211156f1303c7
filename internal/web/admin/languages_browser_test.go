package admin_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// On a phone, the translation screens, the partner form with the town's
// names and a public event page and its form in Lithuanian and Polish:
// accessible, nothing wider than the screen, and the partners named in the
// reader's language (organisation and town).
func TestBrowserLanguagesOnPhone(t *testing.T) {
	b := newStaffBrowser(t, webtest.Demo, "", func(store.Event) store.User {
		return store.User{Email: "admin.lang@example.org", Name: "Ada", Role: auth.RoleAdmin, Language: "en"}
	})
	bg, s, st, ctx := context.Background(), b.s, b.st, b.ctx
	p, err := st.ProjectByCode(bg, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.ProjectEvents(bg, st.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var open store.Event
	for _, e := range evs {
		if e.RegistrationOpen(time.Now()) {
			open = e
			break
		}
	}
	if open.ID == 0 {
		t.Fatal("the demo has no event open for registration")
	}
	kaunas := partnerBySlug(t, st, p.ID, "kaunas")
	host, err := st.Partner(bg, st.DB, *open.HostPartnerID)
	if err != nil {
		t.Fatal(err)
	}
	run := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	fits := func(page string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || w > 390 {
			t.Errorf("%s is %d px wide on a 390 px screen (%v)", page, w, err)
		}
	}
	run("phone", chromedp.EmulateViewport(390, 844))
	for _, pg := range []struct{ name, path, wait string }{
		{"lang-project-translations-phone", "/admin/projects/" + strconv.FormatInt(p.ID, 10) + "/translations", `#title_pl`},
		{"lang-event-translations-phone", "/admin/events/" + open.Slug + "/translations", `#venue_lt`},
		{"lang-partner-form-phone", "/admin/partners/" + strconv.FormatInt(kaunas.ID, 10), `#city_lt-gen`},
	} {
		run(pg.name, chromedp.Navigate(s.URL+pg.path), chromedp.WaitVisible(pg.wait))
		browsertest.AssertAccessible(t, ctx, pg.name)
		fits(pg.name)
		browsertest.Screenshot(t, ctx, pg.name)
	}
	for _, c := range []struct{ lang, org, town string }{
		{"lt", "Kauno miesto savivaldybė", "Lodzė"},
		{"pl", "Samorząd miasta Kowna", "Dyneburg"},
	} {
		run("event "+c.lang, chromedp.Navigate(s.URL+"/"+c.lang+"/events/"+open.Slug), chromedp.WaitVisible(`h1`))
		browsertest.AssertAccessible(t, ctx, "event page "+c.lang)
		if main, err := chromedp.Run(ctx, chromedp.Text(`main`)); err != nil || !strings.Contains(main, host.CityTexts[c.lang]+", ") {
			t.Errorf("%s event page does not name the town %q (%v)", c.lang, host.CityTexts[c.lang], err)
		}
		fits("event page " + c.lang)
		browsertest.Screenshot(t, ctx, "lang-event-"+c.lang+"-phone")
		run("form "+c.lang, chromedp.Navigate(s.URL+"/"+c.lang+"/events/"+open.Slug+"/register"), chromedp.WaitVisible(`#f-partner`))
		options, err := chromedp.Run(ctx, chromedp.Text(`#f-partner`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(options, c.org) || !strings.Contains(options, c.town) {
			t.Errorf("%s partners: %q", c.lang, options)
		}
		browsertest.AssertAccessible(t, ctx, "registration form "+c.lang)
		fits("registration form " + c.lang)
		browsertest.Screenshot(t, ctx, "lang-register-"+c.lang+"-phone")
	}
}

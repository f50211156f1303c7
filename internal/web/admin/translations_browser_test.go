package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// A coordinator sees the Polish title missing on the translation screen,
// fills it in and saves; the Polish event page, which marked the English
// title "(po angielsku)", then shows the Polish one unmarked.
func TestBrowserTranslationScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	bg := context.Background()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	st := s.Store
	ev, err := st.EventBySlug(bg, st.DB, "decode-3-palermo")
	if err != nil {
		t.Fatal(err)
	}
	title := store.Texts{}
	for l, v := range ev.Title {
		if l != "pl" {
			title[l] = v
		}
	}
	if err := st.UpdateEventTexts(bg, st.DB, ev.ID, title, ev.Description, ev.VenueTexts, ev.AddressTexts); err != nil {
		t.Fatal(err)
	}
	u := store.User{Email: "coord.t@example.org", Name: "Cora", Role: auth.RoleCoordinator, ProjectID: &ev.ProjectID, Language: "en"}
	if err := st.CreateUser(bg, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(st, time.Now).StartSession(bg, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, s.URL+"/", auth.SessionCookie, cookie)
	run := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}
	public := s.URL + "/pl/events/" + ev.Slug
	run("desktop", chromedp.EmulateViewport(1280, 900))
	run("public page", chromedp.Navigate(public), chromedp.WaitVisible(`h1`))
	if h := text(`h1 span[lang="en"]`); h != ev.Title["en"] || !strings.Contains(text(`h1 .lang-fallback`), "po angielsku") {
		t.Fatalf("fallback not marked: %q", h)
	}
	browsertest.AssertAccessible(t, ctx, "public page with a fallback")
	browsertest.Screenshot(t, ctx, "translations-public-fallback-desktop")

	run("event admin", chromedp.Navigate(s.URL+"/admin/events/"+ev.Slug), chromedp.WaitVisible(`a[href$="/translations"]`))
	run("open screen", chromedp.Click(`a[href$="/translations"]`), chromedp.WaitVisible(`#title_pl`))
	if n := text(`tfoot td[data-lang="pl"]`); n != "1" {
		t.Errorf("Polish missing count %q", n)
	}
	if m := text(`.translations-grid a[href="#title_pl"]`); m != "missing" {
		t.Errorf("missing cell %q", m)
	}
	browsertest.AssertAccessible(t, ctx, "translation screen")
	browsertest.Screenshot(t, ctx, "translations-screen-desktop")
	run("phone", chromedp.EmulateViewport(390, 844))
	browsertest.AssertAccessible(t, ctx, "translation screen on a phone")
	browsertest.Screenshot(t, ctx, "translations-screen-phone")

	const pl = "Odpływ młodzieży - jak mu zapobiec?"
	run("fill", chromedp.SetValue(`#title_pl`, pl))
	run("save", chromedp.Submit(`#title_pl`), chromedp.WaitVisible(`.notice.success`))
	if n := text(`tfoot td[data-lang="pl"]`); n != "0" {
		t.Errorf("Polish still missing: %q", n)
	}
	saved, _ := st.Event(bg, st.DB, ev.ID)
	if saved.Title["pl"] != pl || saved.Title["en"] != ev.Title["en"] {
		t.Fatalf("saved %v", saved.Title)
	}
	run("public again", chromedp.Navigate(public), chromedp.WaitVisible(`h1`))
	if h := text(`h1`); h != pl {
		t.Errorf("public title %q", h)
	}
	if marked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".lang-fallback") !== null`)); err != nil || marked {
		t.Errorf("still marked (%v)", err)
	}
	browsertest.Screenshot(t, ctx, "translations-public-translated-phone")
}

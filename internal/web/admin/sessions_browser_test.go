package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// A coordinator adds two sessions on the event's admin page (a refused end
// before the start on the way), and visitors see them under their day on the
// public page: the title in their language, else marked as not translated;
// desktop and phone pass axe.
func TestBrowserSessionsOnAdminAndPublicPage(t *testing.T) {
	b := newStaffBrowser(t, webtest.Demo, "decode-5-daugavpils", func(ev store.Event) store.User {
		return store.User{Email: "coord.s@example.org", Name: "Cora", Role: auth.RoleCoordinator, ProjectID: &ev.ProjectID, Language: "en"}
	})
	bg, s, st, ev, ctx := context.Background(), b.s, b.st, b.ev, b.ctx
	run := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	fill := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){ var set = function(id, v){ document.getElementById(id).value = v; }; `+js+`; return ""; })()`)); err != nil {
			t.Fatal(err)
		}
	}
	day1 := ev.FirstDay.Format("2006-01-02")
	run("desktop", chromedp.EmulateViewport(1280, 900))
	page := s.URL + "/admin/events/" + ev.Slug
	run("event page", chromedp.Navigate(page), chromedp.WaitVisible(`#sessions`))
	run("add", chromedp.Click(`a[href$="/sessions/new?day=`+day1+`"]`), chromedp.WaitVisible(`#title_en`))
	browsertest.AssertAccessible(t, ctx, "session editor")
	browsertest.Screenshot(t, ctx, "session-editor-desktop")
	fill(`set("start", "11:00"); set("end", "10:00"); set("title_en", "Opening plenary"); set("title_lv", "Atklāšanas plenārsēde");
		set("room", "Hall A"); set("speakers", "Anna Bērziņa, Jonas Petraitis")`)
	run("refused", chromedp.Submit(`#title_en`), chromedp.WaitVisible(`.field-error`))
	msg, _ := chromedp.Run(ctx, chromedp.Text(`.field-error`))
	if !strings.Contains(msg, "after the start") {
		t.Errorf("end before start message %q", msg)
	}
	browsertest.AssertAccessible(t, ctx, "session editor with an error")
	run("phone", chromedp.EmulateViewport(390, 844))
	browsertest.Screenshot(t, ctx, "session-editor-error-phone")
	run("desktop again", chromedp.EmulateViewport(1280, 900))
	fill(`set("start", "10:00"); set("end", "11:30")`)
	run("save", chromedp.Submit(`#title_en`), chromedp.WaitVisible(`#sessions`))
	run("add again", chromedp.Click(`a[href$="/sessions/new?day=`+day1+`"]`), chromedp.WaitVisible(`#title_en`))
	fill(`set("start", "09:00"); set("end", "09:45"); set("title_en", "Registration and coffee"); set("room", "Foyer")`)
	run("save again", chromedp.Submit(`#title_en`), chromedp.WaitVisible(`#sessions`))
	browsertest.AssertAccessible(t, ctx, "event page with sessions")
	run("to sessions", chromedp.ScrollIntoView(`#sessions`))
	browsertest.Screenshot(t, ctx, "event-sessions-admin-desktop")
	ss, err := st.EventSessions(bg, st.DB, ev.ID)
	if err != nil || len(ss) != 2 || ss[0].Title["en"] != "Registration and coffee" || ss[1].Title["lv"] != "Atklāšanas plenārsēde" ||
		ss[1].StartsAt != "10:00" || ss[1].Speakers != "Anna Bērziņa, Jonas Petraitis" {
		t.Fatalf("sessions: %v %+v", err, ss)
	}

	// The public page in Latvian: both under the first day, by time; the
	// coffee has no Latvian title and is marked.
	run("public lv", chromedp.Navigate(s.URL+"/lv/events/"+ev.Slug), chromedp.WaitVisible(`.session-list`))
	text, _ := chromedp.Run(ctx, chromedp.Text(`.session-list`))
	first, second := strings.Index(text, "Registration and coffee"), strings.Index(text, "Atklāšanas plenārsēde")
	if first < 0 || second < first || !strings.Contains(text, "nav tulkots") || !strings.Contains(text, "09:00") || !strings.Contains(text, "Hall A") {
		t.Errorf("public sessions: %q", text)
	}
	lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.session-title[lang]').getAttribute('lang')`))
	if lang != "en" {
		t.Errorf("fallback title's lang %q", lang)
	}
	browsertest.AssertAccessible(t, ctx, "public event page with sessions")
	browsertest.Screenshot(t, ctx, "event-sessions-public-desktop")
	run("phone", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`.session-list`))
	browsertest.AssertAccessible(t, ctx, "public event page with sessions, phone")
	browsertest.Screenshot(t, ctx, "event-sessions-public-phone")
	// Danish writes times with a full stop.
	run("public da", chromedp.Navigate(s.URL+"/da/events/"+ev.Slug), chromedp.WaitVisible(`.session-list`))
	if text, _ := chromedp.Run(ctx, chromedp.Text(`.session-list`)); !strings.Contains(text, "10.00") {
		t.Errorf("Danish times: %q", text)
	}

	// Delete one on the admin page.
	run("admin again", chromedp.Navigate(page), chromedp.WaitVisible(`#sessions`))
	run("delete", chromedp.Click(`form[action$="/sessions/`+itoa(ss[0].ID)+`/delete"] button`))
	waitFor(t, func() bool { n, _ := st.CountEventSessions(bg, st.DB, ev.ID); return n == 1 })
}

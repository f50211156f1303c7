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

// An administrator adds two questions on the event's admin page (a single
// choice counted in the report and a required short text), and copies the
// event with them; the editor and the page pass axe on a phone.
func TestBrowserQuestionEditorAndCopy(t *testing.T) {
	b := newStaffBrowser(t, webtest.Demo, "decode-5-daugavpils", func(store.Event) store.User {
		return store.User{Email: "admin.q@example.org", Name: "Ada", Role: auth.RoleAdmin, Language: "en"}
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
	run("phone", chromedp.EmulateViewport(390, 844))
	page := s.URL + "/admin/events/" + ev.Slug
	run("event page", chromedp.Navigate(page), chromedp.WaitVisible(`#questions`))
	run("add", chromedp.Click(`a[href$="/questions/new"]`), chromedp.WaitVisible(`#key`))
	browsertest.AssertAccessible(t, ctx, "question editor")
	browsertest.Screenshot(t, ctx, "question-editor-phone")
	fill(`set("key", "workshop"); set("kind", "single_choice"); set("label_en", "Which workshop?"); set("label_lv", "Kura darbnīca?");
		set("options_en", "City walk\nFilm night"); set("options_lv", "Pastaiga\nKino vakars"); document.getElementById("in_report").checked = true`)
	run("save", chromedp.Submit(`#key`), chromedp.WaitVisible(`#questions`))
	run("add again", chromedp.Click(`a[href$="/questions/new"]`), chromedp.WaitVisible(`#key`))
	fill(`set("key", "motto"); set("label_en", "Your town's motto"); document.getElementById("required").checked = true`)
	run("save again", chromedp.Submit(`#key`), chromedp.WaitVisible(`#questions`))
	browsertest.AssertAccessible(t, ctx, "event page with questions")
	browsertest.Screenshot(t, ctx, "event-questions-phone")
	qs, err := st.Questions(bg, st.DB, ev.ID)
	if err != nil || len(qs) != 2 || qs[0].Key != "workshop" || !qs[0].InReport || qs[0].Options[1].Value != "film-night" ||
		qs[0].Options[1].Label["lv"] != "Kino vakars" || !qs[1].Required {
		t.Fatalf("questions: %v %+v", err, qs)
	}
	// A bad key comes back with its message beside the field.
	run("add a bad one", chromedp.Click(`a[href$="/questions/new"]`), chromedp.WaitVisible(`#key`))
	fill(`set("key", "email"); set("label_en", "E-mail again")`)
	run("refused", chromedp.Submit(`#key`), chromedp.WaitVisible(`.field-error`))
	msg, _ := chromedp.Run(ctx, chromedp.Text(`.field-error`))
	if !strings.Contains(msg, "built-in field") {
		t.Errorf("bad key message %q", msg)
	}
	// Move the motto up, then copy the event.
	run("back", chromedp.Navigate(page), chromedp.WaitVisible(`#questions`))
	run("move up", chromedp.Click(`form[action$="/questions/motto/move"] button`))
	waitFor(t, func() bool { qs, _ = st.Questions(bg, st.DB, ev.ID); return qs[0].Key == "motto" })
	run("moved", chromedp.Navigate(page), chromedp.WaitVisible(`#copy_slug`))
	fill(`set("copy_slug", "decode-5-copy"); set("copy_first_day", "2031-06-01")`)
	run("copy", chromedp.Submit(`#copy_slug`))
	var cp store.Event
	waitFor(t, func() bool { cp, err = st.EventBySlug(bg, st.DB, "decode-5-copy"); return err == nil })
	cqs, _ := st.Questions(bg, st.DB, cp.ID)
	if len(cqs) != 2 || cp.FirstDay.Format("2006-01-02") != "2031-06-01" || cp.RegistrationState != "closed" {
		t.Fatalf("copy %+v with %d questions", cp, len(cqs))
	}
}

// waitFor polls ok until it holds (the page's form post has been answered).
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the change never happened")
}

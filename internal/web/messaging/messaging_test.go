package messaging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
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

const slug = "decode-1-daugavpils" // past, with synthetic attendance in the demo

type env struct {
	s      *webtest.Server
	cookie *http.Cookie
	csrf   string
}

func setup(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo, SelfBaseURL: true})
	st := s.Store
	var project int64
	st.DB.Get(&project, `SELECT id FROM projects WHERE code = 'decode'`)
	u := store.User{Email: "coord@example.test", Name: "Coordinator", Role: "coordinator", ProjectID: &project}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	ck, err := auth.New(st, time.Now).StartSession(ctx, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	e := env{s: s, cookie: &http.Cookie{Name: auth.SessionCookie, Value: ck}}
	st.DB.Get(&e.csrf, `SELECT csrf_token FROM sessions WHERE user_id = $1`, u.ID)
	return e
}

// noShows counts, independently of the segment query, the people of the
// event who confirmed, have an address, were never admitted and are on record.
func (e env) noShows(t *testing.T) int {
	t.Helper()
	var n int
	err := e.s.Store.DB.Get(&n, `SELECT count(DISTINCT lower(r.email)) FROM registrations r JOIN events ev ON ev.id = r.event_id
		WHERE ev.slug = $1 AND r.status = 'confirmed' AND r.email IS NOT NULL AND r.anonymised_at IS NULL
		AND r.id NOT IN (SELECT registration_id FROM admissions WHERE undone_at IS NULL)`, slug)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("the demo event has no absent people to write to")
	}
	return n
}

func (e env) api(t *testing.T, method, path, lang string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.s.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", e.csrf)
	req.Header.Set("Accept-Language", lang)
	req.AddCookie(e.cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(b, &out)
	return res.StatusCode, out
}

func (e env) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	e.s.Store.DB.Get(&n, `SELECT count(*) FROM `+table)
	return n
}

// The API: a dry run counts exactly the no-shows and stores nothing; bad
// drafts are 4xx with localized messages and store nothing; a send is 202
// and its state readable.
func TestMessagesAPI(t *testing.T) {
	e := setup(t)
	want := e.noShows(t)
	outboxBefore := e.count(t, "outbox")
	draft := func(edit func(map[string]any)) []byte {
		m := map[string]any{"segment": "no_show", "subject": map[string]string{"en": "We missed you at {event}", "lv": "Mums jūs pietrūka"},
			"body": map[string]string{"en": "Dear {first_name},\n\nmaterials: {manage_link}", "lv": "Sveiki, {first_name}!"}, "dry_run": true}
		if edit != nil {
			edit(m)
		}
		b, _ := json.Marshal(m)
		return b
	}
	code, out := e.api(t, "POST", "/api/v1/events/"+slug+"/messages", "en", draft(nil))
	if code != http.StatusAccepted || int(out["recipients"].(float64)) != want {
		t.Fatalf("dry run: %d %v, want 202 with %d recipients", code, out, want)
	}
	if e.count(t, "messages") != 0 || e.count(t, "outbox") != outboxBefore {
		t.Fatal("a dry run stored something")
	}
	// Unknown placeholder: 422, the field's message in the caller's language.
	e.s.Store.DB.Exec(`UPDATE users SET language = 'lv' WHERE email = 'coord@example.test'`)
	code, out = e.api(t, "POST", "/api/v1/events/"+slug+"/messages", "lv",
		draft(func(m map[string]any) {
			m["body"] = map[string]string{"en": "Hi {name}", "lv": "Sveiki"}
			m["dry_run"] = false
		}))
	fields, _ := out["error"].(map[string]any)["fields"].(map[string]any)
	if code != http.StatusUnprocessableEntity || !strings.Contains(fields["body_en"].(string), "aizstājējvārds") || len(fields) != 1 {
		t.Fatalf("unknown placeholder: %d %v", code, out)
	}
	// Empty subject in the fallback language.
	code, _ = e.api(t, "POST", "/api/v1/events/"+slug+"/messages", "en",
		draft(func(m map[string]any) { m["subject"] = map[string]string{"lv": "x"}; m["dry_run"] = false }))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("no fallback subject: %d", code)
	}
	// Hostile bytes are refused at the edge.
	for _, raw := range [][]byte{
		[]byte(`{"segment":"no_show","subject":{"en":"a\u0000b"},"body":{"en":"x"}}`),
		append([]byte(`{"segment":"no_show","subject":{"en":"a`), append([]byte{0xff}, []byte(`"},"body":{"en":"x"}}`)...)...),
		[]byte(`{"segment":"no_show","subject":{"en":"a"},"body":{"en":"x"},"day":99999999999999999999999}`),
	} {
		if code, _ := e.api(t, "POST", "/api/v1/events/"+slug+"/messages", "en", raw); code < 400 || code >= 500 {
			t.Errorf("hostile body %q: %d", raw, code)
		}
	}
	// Multi-line bodies pass the guard.
	if e.count(t, "messages") != 0 || e.count(t, "outbox") != outboxBefore {
		t.Fatal("a refused draft stored something")
	}
	// The whole project: everyone who attended any event, once per address.
	var attended int
	e.s.Store.DB.Get(&attended, `SELECT count(DISTINCT lower(r.email)) FROM registrations r
		WHERE r.email IS NOT NULL AND r.anonymised_at IS NULL
		AND r.id IN (SELECT registration_id FROM admissions WHERE undone_at IS NULL)`)
	code, out = e.api(t, "POST", "/api/v1/projects/decode/messages", "en", draft(func(m map[string]any) { m["segment"] = "attended" }))
	if code != http.StatusAccepted || int(out["recipients"].(float64)) != attended || attended == 0 {
		t.Fatalf("project dry run: %d %v, want %d", code, out, attended)
	}
	var project int64
	e.s.Store.DB.Get(&project, `SELECT id FROM projects WHERE code = 'decode'`)
	req, _ := http.NewRequest("GET", e.s.URL+"/admin/projects/"+strconv.FormatInt(project, 10)+"/messages", nil)
	req.AddCookie(e.cookie)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("project messages screen: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	code, out = e.api(t, "POST", "/api/v1/events/"+slug+"/messages", "en", draft(func(m map[string]any) { m["dry_run"] = false }))
	if code != http.StatusAccepted || int(out["recipients"].(float64)) != want {
		t.Fatalf("send: %d %v", code, out)
	}
	id := int64(out["id"].(float64))
	code, out = e.api(t, "GET", "/api/v1/messages/"+strconv.FormatInt(id, 10), "en", nil)
	rs, _ := out["recipients"].([]any)
	if code != http.StatusOK || len(rs) != want || e.count(t, "outbox") != outboxBefore+want {
		t.Fatalf("state: %d, %d recipients, want %d", code, len(rs), want)
	}
	for _, r := range rs {
		if st := r.(map[string]any)["state"]; st != "queued" {
			t.Errorf("recipient state %v before the worker ran", st)
		}
	}
}

// A coordinator composes, previews and sends a message on the event's
// screen in a real browser, on a phone-sized window; the pages pass axe.
func TestComposePreviewSendInBrowser(t *testing.T) {
	e := setup(t)
	want := e.noShows(t)
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, e.s.URL+"/", e.cookie.Name, e.cookie.Value)
	dir := os.Getenv("ATTEND_SCREENSHOTS")
	shot := func(name string) {
		if dir == "" {
			return
		}
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	do := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	do("open the screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.s.URL+"/admin/events/"+slug+"/messages"), chromedp.WaitVisible("#m-segment"))
	browsertest.AssertAccessible(t, ctx, "compose")
	shot("messages-compose-phone")
	// An unknown placeholder: the form comes back with the error beside the field.
	do("preview with an unknown placeholder", chromedp.SendKeys("#m-subject_en", "Hello {name}"), chromedp.SendKeys("#m-body_en", "x"),
		chromedp.Click("#m-preview"), chromedp.WaitVisible("#error-summary"), chromedp.WaitVisible("#m-subject_en-error"))
	browsertest.AssertAccessible(t, ctx, "compose with errors")
	do("compose and preview", chromedp.SetValue("#m-segment", "no_show"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("m-subject_en").value = ""; document.getElementById("m-body_en").value = ""; 1`),
		chromedp.SendKeys("#m-subject_en", "We missed you at {event}"),
		chromedp.SendKeys("#m-body_en", "Dear {first_name},\n\nthe slides are online."),
		chromedp.Click("#m-preview"), chromedp.WaitVisible("#m-count"))
	if count := text("#m-count"); !strings.Contains(count, strconv.Itoa(want)) {
		t.Fatalf("preview says %q, want %d people", count, want)
	}
	if body := text("#preview .message-text"); !strings.Contains(body, "the slides are online") || strings.Contains(body, "{first_name}") {
		t.Fatalf("preview text %q", body)
	}
	browsertest.AssertAccessible(t, ctx, "preview")
	shot("messages-preview-phone")
	if e.count(t, "messages") != 0 {
		t.Fatal("the preview stored a message")
	}
	do("send", chromedp.Click("#m-send"), chromedp.WaitVisible("#m-recipients"))
	states := text("#m-states")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#m-recipients tbody tr").length`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != want || !strings.Contains(states, strconv.Itoa(want)) {
		t.Fatalf("message page: %d rows, states %q, want %d", rows, states, want)
	}
	browsertest.AssertAccessible(t, ctx, "message")
	shot("messages-sent-phone")
	if e.count(t, "messages") != 1 {
		t.Fatal("the message was not stored once")
	}
	// The opt-out page of one recipient, then its button.
	var rid int64
	e.s.Store.DB.Get(&rid, `SELECT registration_id FROM message_recipients LIMIT 1`)
	var body string
	e.s.Store.DB.Get(&body, `SELECT text_body FROM outbox WHERE kind = 'segment' AND registration_id = $1`, rid)
	i := strings.LastIndex(body, e.s.URL+"/")
	if i < 0 || !strings.Contains(body[i:], "/optout/") {
		t.Fatalf("no opt-out link in %q", body)
	}
	link := strings.Fields(body[i:])[0]
	link = link[:strings.Index(link, "/optout/")-2] + "lv" + link[strings.Index(link, "/optout/"):]
	do("open the opt-out page", chromedp.Navigate(link), chromedp.WaitVisible("main button[type=submit]"))
	browsertest.AssertAccessible(t, ctx, "optout")
	shot("optout-phone")
	do("opt out", chromedp.Click("main button[type=submit]"), chromedp.WaitVisible(".notice.success"))
	if e.count(t, "message_optouts") != 1 {
		t.Fatal("the opt-out was not recorded")
	}
}

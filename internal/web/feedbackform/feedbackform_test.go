package feedbackform_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type env struct {
	s            *webtest.Server
	came, stayed string // private paths without the language: an attendee, an absent person
	cookie       *http.Cookie
	ctx          context.Context
}

func setup(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	st := s.Store
	e := env{s: s, ctx: ctx}
	reg := registration.New(st, nil, nil, s.Config.BaseURL, time.Now)
	path := func(q string) string {
		var id int64
		if err := st.DB.Get(&id, q); err != nil {
			t.Fatal(err)
		}
		st.DB.Exec(`UPDATE registrations SET manage_nonce = sha256(id::text::bytea) WHERE id = $1`, id)
		r, err := st.Registration(ctx, st.DB, id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := reg.ManagePath(ctx, st.DB, r, "en")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(p, "/en")
	}
	e.came = path(`SELECT r.id FROM registrations r JOIN events ev ON ev.id = r.event_id WHERE ev.number = 1 AND r.status = 'confirmed'
		AND r.id IN (SELECT registration_id FROM admissions WHERE undone_at IS NULL) ORDER BY r.id LIMIT 1`)
	e.stayed = path(`SELECT r.id FROM registrations r JOIN events ev ON ev.id = r.event_id WHERE ev.number = 1 AND r.status = 'confirmed'
		AND r.id NOT IN (SELECT registration_id FROM admissions WHERE undone_at IS NULL) ORDER BY r.id LIMIT 1`)
	// The demo's event 1 ended long ago: keep its form open for the test.
	var ev store.Event
	st.DB.Get(&ev.ID, `SELECT id FROM events WHERE number = 1`)
	closes := time.Now().Add(24 * time.Hour)
	if err := st.SetEventFeedback(ctx, st.DB, ev.ID, nil, &closes); err != nil {
		t.Fatal(err)
	}
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
	e.cookie = &http.Cookie{Name: auth.SessionCookie, Value: ck}
	return e
}

func get(t *testing.T, url string, ck *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// The form in every language: the questions translated; an absent person
// sees that only attendees answer; a wrong link is 404.
func TestFeedbackFormLanguages(t *testing.T) {
	e := setup(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages {
		code, body := get(t, e.s.URL+"/"+lang+e.came+"/feedback", nil)
		l := b.Localizer(lang)
		if code != http.StatusOK || !strings.Contains(body, html.EscapeString(l.T("feedback.q.overall"))) || !strings.Contains(body, `lang="`+lang+`"`) {
			t.Errorf("%s: %d, question missing", lang, code)
		}
		if strings.Contains(body, "feedback.") {
			t.Errorf("%s: untranslated key", lang)
		}
	}
	if _, body := get(t, e.s.URL+"/en"+e.stayed+"/feedback", nil); !strings.Contains(body, "Only people who attended") || strings.Contains(body, `name="q_overall"`) {
		t.Error("an absent person is offered the form")
	}
	bad := e.came[:len(e.came)-1] + "x"
	if strings.HasSuffix(e.came, "x") {
		bad = e.came[:len(e.came)-1] + "y"
	}
	if code, _ := get(t, e.s.URL+"/en"+bad+"/feedback", nil); code != http.StatusNotFound {
		t.Errorf("a wrong link: %d", code)
	}
}

// An attendee answers on a phone (Lithuanian), the page passes axe, the
// answer can be changed, and the event's report shows the average.
func TestFeedbackInBrowser(t *testing.T) {
	e := setup(t)
	ctx, cancel := browsertest.NewContext(t)
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel2()
	do := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 600)`))
			t.Fatalf("%s: %v\n%s", what, err, html)
		}
	}
	shot := func(name string) {
		if dir := os.Getenv("ATTEND_SCREENSHOTS"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
			}
		}
	}
	form := e.s.URL + "/lt" + e.came + "/feedback"
	do("open the form", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(form), chromedp.WaitVisible("#feedback-form"))
	browsertest.AssertAccessible(t, ctx, "feedback form")
	shot("feedback-form-phone-lt")
	// Sending without a score shows the error (the browser's own check is bypassed).
	do("send empty", chromedp.Evaluate[chromedp.Void](`document.getElementById("feedback-form").noValidate = true`))
	do("send without a score", chromedp.Click("#feedback-form button[type=submit]"), chromedp.WaitVisible("#error-summary"))
	browsertest.AssertAccessible(t, ctx, "feedback form with errors")
	do("answer", chromedp.Click(`input[name=q_overall][value="2"]`), chromedp.SendKeys("#fb-comment", "Daugiau laiko diskusijoms."),
		chromedp.Click("#feedback-form button[type=submit]"), chromedp.WaitVisible(".notice.success"))
	// The form afresh (no notice on it), so that the next notice is the new page's.
	do("change", chromedp.Navigate(form), chromedp.WaitVisible("#feedback-form"), chromedp.Click(`input[name=q_overall][value="4"]`), chromedp.Click("#feedback-form button[type=submit]"),
		chromedp.WaitVisible(".notice.success"))
	shot("feedback-saved-phone-lt")
	var rows int
	var overall string
	e.s.Store.DB.Get(&rows, `SELECT count(*) FROM feedback_answers`)
	e.s.Store.DB.Get(&overall, `SELECT answers->>'overall' FROM feedback_answers`)
	if rows != 1 || overall != "4" {
		t.Fatalf("%d answers, overall %q", rows, overall)
	}
	code, body := get(t, e.s.URL+"/admin/reports/events/decode-1-daugavpils", e.cookie)
	if code != http.StatusOK || !strings.Contains(body, "Average 4.00 of 5 (1 answers)") && !strings.Contains(body, "4.00") || !strings.Contains(body, "Daugiau laiko diskusijoms.") {
		t.Fatalf("report page: %d, feedback missing", code)
	}
	// The coordinators' settings screen.
	browsertest.SetCookie(t, ctx, e.s.URL+"/", e.cookie.Name, e.cookie.Value)
	do("open the settings", chromedp.Navigate(e.s.URL+"/admin/events/decode-1-daugavpils/feedback"), chromedp.WaitVisible("#feedback-settings"))
	browsertest.AssertAccessible(t, ctx, "feedback settings")
	// The private page links to the form once the event has begun.
	if _, body := get(t, e.s.URL+"/en"+e.came, nil); !strings.Contains(body, e.came+"/feedback") {
		t.Error("no feedback link on the private page")
	}
}

func post(t *testing.T, e env, path string, form map[string]string) (int, string) {
	t.Helper()
	var csrf string
	e.s.Store.DB.Get(&csrf, `SELECT csrf_token FROM sessions LIMIT 1`)
	v := url.Values{"csrf_token": {csrf}}
	for k, x := range form {
		v.Set(k, x)
	}
	req, _ := http.NewRequest("POST", e.s.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(e.cookie)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A coordinator sets the event's own questions, labelled per language, and
// the closing day; the attendee's form asks them in the person's language.
func TestFeedbackSettings(t *testing.T) {
	e := setup(t)
	code, body := get(t, e.s.URL+"/admin/events/decode-1-daugavpils/feedback", e.cookie)
	if code != http.StatusOK || !strings.Contains(body, `name="kind_1"`) {
		t.Fatalf("settings page: %d", code)
	}
	// A question without its English text is refused, nothing stored.
	code, _ = post(t, e, "/admin/events/decode-1-daugavpils/feedback", map[string]string{"kind_1": "rating", "label_1_lv": "Norises vieta"})
	var stored *string
	e.s.Store.DB.Get(&stored, `SELECT feedback_questions::text FROM events WHERE number = 1`)
	if code != http.StatusUnprocessableEntity || stored != nil {
		t.Fatalf("no English label: %d, stored %v", code, stored)
	}
	closes := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	code, _ = post(t, e, "/admin/events/decode-1-daugavpils/feedback", map[string]string{
		"kind_1": "rating", "label_1_en": "The venue", "label_1_lv": "Norises vieta",
		"kind_2": "text", "label_2_en": "One idea to take home", "closes_on": closes})
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	_, body = get(t, e.s.URL+"/lv"+e.came+"/feedback", nil)
	if !strings.Contains(body, "Norises vieta") || !strings.Contains(body, "One idea to take home") || !strings.Contains(body, `name="q_q1"`) {
		t.Fatal("the attendee's form does not ask the event's questions")
	}
	var audited int
	e.s.Store.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = 'event.feedback_settings'`)
	if audited != 1 {
		t.Fatalf("%d audit entries", audited)
	}
}

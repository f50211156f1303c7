package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// staffClient is an HTTP client signed in as u, not following redirects.
func staffClient(t *testing.T, st *store.Store, base string, u store.User) func(method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	ctx := context.Background()
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(st, time.Now).StartSession(ctx, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	bu, _ := url.Parse(base)
	jar.SetCookies(bu, []*http.Cookie{{Name: auth.SessionCookie, Value: cookie, Path: "/"}})
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
}

// Staff adding a person answer the event's questions like the public form
// (a required one left out: refused, nothing stored); changing the person's
// details changes the answers and keeps them when the form is re-shown.
func TestStaffFormsAnswerQuestions(t *testing.T) {
	s := webtest.New(t, webtest.Options{SelfBaseURL: true})
	st := s.Store
	ctx := context.Background()
	f := regtest.NewFixture(t, st, "ev-staffq", nil)
	workshop := store.Question{EventID: f.Event.ID, Key: "workshop", Kind: store.QuestionSingleChoice, Required: true,
		Label:   store.Texts{"en": "Which workshop?"},
		Options: store.Options{{Value: "youth", Label: store.Texts{"en": "Youth"}}, {Value: "climate", Label: store.Texts{"en": "Climate"}}}}
	visa := store.Question{EventID: f.Event.ID, Key: "visa", Kind: store.QuestionCheckbox, Label: store.Texts{"en": "I need a visa letter"}}
	for _, q := range []*store.Question{&workshop, &visa} {
		if err := st.CreateQuestion(ctx, st.DB, q); err != nil {
			t.Fatal(err)
		}
	}
	do := staffClient(t, st, s.URL, store.User{Email: "coord@staffq.lv", Name: "Coordinator", Role: auth.RoleCoordinator,
		ProjectID: &f.Project.ID, Language: "en"})
	newPath := "/admin/events/" + f.Event.Slug + "/registrations"
	resp, page := do(http.MethodGet, newPath+"/new", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="answers.workshop"`) || !strings.Contains(page, "I need a visa letter") {
		t.Fatalf("add form %d lacks the questions", resp.StatusCode)
	}
	form := url.Values{"csrf_token": {csrfRE.FindStringSubmatch(page)[1]}, "first_name": {"Anna"}, "last_name": {"Bērziņa"},
		"country": {"LV"}, "city": {"Rēzekne"}, "participation": {"local"}, "language": {"en"},
		"reason": {"Came to the desk"}, "privacy_notice_accepted": {"1"}, "answers.visa": {"yes"},
		"days": {f.Event.FirstDay.Format("2006-01-02")}}
	resp, page = do(http.MethodPost, newPath, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "This field is required") ||
		!strings.Contains(page, `id="f-q-visa" name="answers.visa" value="yes" checked`) {
		t.Fatalf("missing required answer: %d", resp.StatusCode)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM registrations`)
	if n != 0 {
		t.Fatalf("refused registration stored %d", n)
	}
	form.Set("answers.workshop", "youth")
	resp, page = do(http.MethodPost, newPath, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %s", resp.StatusCode, regexp.MustCompile(`field-error[^>]*>[^<]*`).FindAllString(page, -1))
	}
	regPath := strings.SplitN(resp.Header.Get("Location"), "?", 2)[0]
	answers := func() string {
		var got []string
		st.DB.Select(&got, `SELECT q.key || '=' || array_to_string(a.value, ';') FROM registration_answers a
			JOIN event_questions q ON q.id = a.question_id ORDER BY 1`)
		return strings.Join(got, " ")
	}
	if got := answers(); got != "visa=yes workshop=youth" {
		t.Fatalf("answers %q", got)
	}
	// The registration page shows the stored answers in its details form.
	resp, page = do(http.MethodGet, regPath, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="answers.workshop" value="youth" checked`) {
		t.Fatalf("registration page %d lacks the stored answer", resp.StatusCode)
	}
	edit := url.Values{"csrf_token": {csrfRE.FindStringSubmatch(page)[1]}, "first_name": {"Anna"}, "last_name": {"Bērziņa"},
		"country": {"LV"}, "city": {"Rēzekne"}, "participation": {"local"}, "answers.workshop": {"nope"}}
	resp, page = do(http.MethodPost, regPath, edit)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "field-error") {
		t.Fatalf("bad answer: %d", resp.StatusCode)
	}
	if got := answers(); got != "visa=yes workshop=youth" {
		t.Fatalf("refused change stored answers %q", got)
	}
	edit.Set("answers.workshop", "climate")
	if resp, _ = do(http.MethodPost, regPath, edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	// The box left unticked is no longer answered.
	if got := answers(); got != "workshop=climate" {
		t.Fatalf("answers after the change %q", got)
	}
	// A coordinator of another project may not open the form.
	other := regtest.NewFixture(t, st, "ev-staffq-other", nil)
	doOther := staffClient(t, st, s.URL, store.User{Email: "coord@other.lv", Name: "Other", Role: auth.RoleCoordinator,
		ProjectID: &other.Project.ID, Language: "en"})
	if resp, _ := doOther(http.MethodGet, newPath+"/new", nil); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other project's coordinator: %d", resp.StatusCode)
	}
	if resp, _ := doOther(http.MethodGet, regPath, nil); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other project's coordinator on the registration: %d", resp.StatusCode)
	}
}

package public_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/registration/regtest"
)

// An event whose project has no published privacy notice yet is shown with
// registration closed, and a registration posted anyway is refused as
// closed (409), never answered "not found"; nothing is stored.
func TestNoNoticeIsClosedNotMissing(t *testing.T) {
	e := newEnv(t, regtest.Ptr(10))
	slug := e.f.Event.Slug
	// The form as a visitor had it open before the notice was withdrawn.
	_, form := e.get(t, "/en/events/"+slug+"/register")
	m := csrfRE.FindStringSubmatch(form)
	if m == nil {
		t.Fatal("no CSRF token on the form")
	}
	if _, err := e.st.DB.ExecContext(context.Background(), `DELETE FROM privacy_notices WHERE project_id = $1`, e.f.Project.ID); err != nil {
		t.Fatal(err)
	}
	resp, page := e.get(t, "/en/events/"+slug)
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `/events/`+slug+`/register"`) {
		t.Fatalf("event page without a notice: %d, register link shown: %v", resp.StatusCode, strings.Contains(page, "/register\""))
	}
	resp, page = e.get(t, "/en/events/"+slug+"/register")
	// The form page answers as for any closed registration (409), not 404.
	if resp.StatusCode != http.StatusConflict || strings.Contains(page, `name="first_name"`) {
		t.Fatalf("form page without a notice: %d, form shown: %v", resp.StatusCode, strings.Contains(page, `name="first_name"`))
	}
	values := e.validForm("late@example.org")
	values.Set("csrf_token", m[1])
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/en/events/"+slug+"/register", strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = e.do(t, req)
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode != http.StatusConflict {
		t.Fatalf("registering without a notice: %d, want 409", resp.StatusCode)
	}
	if n := e.count(t, `SELECT count(*) FROM registrations WHERE event_id = $1`, e.f.Event.ID); n != 0 {
		t.Fatalf("%d registrations stored", n)
	}
}

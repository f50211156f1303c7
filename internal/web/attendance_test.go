package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
)

// paperEvent is a past event of the demo, as one that ran on paper.
const paperEvent = "decode-3-palermo"

// paperPeople registers confirmed people for the first day of the paper
// event, never admitted, and returns the event and their ids.
func paperPeople(t *testing.T, f *fixture, names ...string) (store.Event, []int64) {
	t.Helper()
	ctx := context.Background()
	ev, err := f.st.EventBySlug(ctx, f.st.DB, paperEvent)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, n := range names {
		email := fmt.Sprintf("paper%d@example.org", i)
		now := time.Now()
		r := store.Registration{EventID: ev.ID, Status: store.StatusConfirmed, FirstName: "Paula", LastName: n, Email: &email,
			Country: "IT", City: "Palermo", Participation: store.Local, Organisation: "Paper Club", ConfirmedAt: &now}
		if err := f.st.InsertRegistration(ctx, f.st.DB, &r, []time.Time{ev.FirstDay}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ev, ids
}

// attendedAll reads the event's attended count (every country) from the report API.
func attendedAll(t *testing.T, f *fixture, slug string) int {
	t.Helper()
	rec := f.sendBody(t, caller{bearer: f.tokens["report"]}, http.MethodGet, "/api/v1/events/"+slug+"/report", nil, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("report API: %d %.200s", rec.Code, rec.Body.String())
	}
	var rep struct {
		AttendedAll int `json:"attended_all"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.AttendedAll
}

// A coordinator ticks two people of a past day in a real browser and saves:
// the summary says so, the report API counts them, and the page passes axe.
func TestAttendanceFromPaperInBrowser(t *testing.T) {
	f := newFixture(t, nil)
	ev, ids := paperPeople(t, f, "Ābele", "Čaks", "Zariņš")
	before := attendedAll(t, f, ev.Slug)
	cookie, _ := f.session(t, "coordinator")
	ctx, cancel := browsertest.NewContext(t)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	browsertest.SetCookie(t, ctx, f.app.URL, auth.SessionCookie, cookie)
	page := f.app.URL + "/admin/events/" + ev.Slug + "/attendance?day=" + ev.FirstDay.Format(time.DateOnly)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(f.app.URL+"/admin/events/"+ev.Slug),
		chromedp.Click(`a[href="/admin/events/`+ev.Slug+`/attendance"]`), chromedp.WaitVisible("form.attendance-form")); err != nil {
		t.Fatalf("from the event's page: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible("form.attendance-form")); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertAccessible(t, ctx, "attendance")
	browsertest.Screenshot(t, ctx, "attendance-desktop")
	// Tick two with the keyboard-reachable checkboxes (their labels are the names).
	for _, id := range ids[:2] {
		if err := chromedp.Do(ctx, chromedp.Click(fmt.Sprintf(`label[for="p%d"]`, id))); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#reason", "sign-in sheet, day 1"),
		chromedp.Click(`form.attendance-form button[type=submit]`), chromedp.WaitVisible(".notice.success")); err != nil {
		t.Fatal(err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(".notice.success"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "2 people admitted") || !strings.Contains(summary, "0 admissions undone") {
		t.Errorf("summary %q", summary)
	}
	browsertest.AssertAccessible(t, ctx, "attendance after saving")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "attendance-phone")
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("on a phone the page is %d px wide (%v), want no sideways scrolling", w, err)
	}
	// Ticked now, as saved; the third is not.
	for i, id := range ids {
		checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById("p%d").checked`, id)))
		if err != nil || checked != (i < 2) {
			t.Errorf("person %d checked = %v (%v)", i, checked, err)
		}
	}
	if after := attendedAll(t, f, ev.Slug); after != before+2 {
		t.Errorf("report API attended %d, want %d + 2", after, before)
	}
	var n int
	if err := f.st.DB.Get(&n, `SELECT count(*) FROM admissions WHERE registration_id = ANY($1::bigint[]) AND method = 'paper'
		AND undone_at IS NULL`, fmt.Sprintf("{%d,%d,%d}", ids[0], ids[1], ids[2])); err != nil || n != 2 {
		t.Errorf("paper admissions %d (%v), want 2", n, err)
	}
}

// Another network's coordinator gets 404 on the list and on a save naming
// the first project's people, and nothing changes; the same save by the
// event's own coordinator admits them (so the refusal is the access rule's).
func TestAttendanceForeignCoordinator(t *testing.T) {
	f := newFixture(t, nil)
	o := newOther(t, f)
	ev, ids := paperPeople(t, f, "Rossi", "Bianchi")
	day := ev.FirstDay.Format(time.DateOnly)
	form := url.Values{"day": {day}, "admit": {itoa(ids[0]), itoa(ids[1])}, "reason": {"sheet"}}
	target := "/admin/events/" + ev.Slug + "/attendance"
	before := snapshot(t, f)
	for _, s := range []struct {
		method string
		body   []byte
		ct     string
	}{
		{http.MethodGet, nil, ""},
		{http.MethodPost, []byte(form.Encode()), "application/x-www-form-urlencoded"},
	} {
		rec := f.sendBody(t, o.callers["coordOther"], s.method, target+"?day="+day, s.body, s.ct)
		if rec.Code != http.StatusNotFound {
			t.Errorf("foreign coordinator %s: %d, want 404", s.method, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "Rossi") {
			t.Error("a foreign coordinator saw a name")
		}
	}
	if snapshot(t, f) != before {
		t.Fatal("a foreign coordinator changed the first project's data")
	}
	own := f.as(t, "coordinator")
	rec := f.sendBody(t, own, http.MethodPost, target, []byte(form.Encode()), "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "admitted=2") {
		t.Fatalf("own coordinator: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	// A day outside the event is refused with the form again and its message.
	bad := url.Values{"day": {"2001-01-01"}, "admit": {itoa(ids[0])}}
	rec = f.sendBody(t, own, http.MethodPost, target, []byte(bad.Encode()), "application/x-www-form-urlencoded")
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "not a day of the event") {
		t.Errorf("day outside: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := f.sendBody(t, own, http.MethodGet, target+"?day=2001-01-01", nil, ""); rec.Code != http.StatusNotFound {
		t.Errorf("list of a day outside the event: %d", rec.Code)
	}
}

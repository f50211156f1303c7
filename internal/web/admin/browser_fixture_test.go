package admin_test

import (
	"context"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// staffBrowser is a server with seeded data and a headless browser signed
// in as one staff member, what every admin screen test starts from.
type staffBrowser struct {
	s      *webtest.Server
	st     *store.Store
	ev     store.Event // the event named by slug; zero without one
	user   store.User  // the staff member signed in
	cookie string      // their session cookie's value, for plain HTTP requests
	ctx    context.Context
}

// newStaffBrowser seeds the server, finds the event slug (none when ""),
// creates the staff member who of it returns and opens a browser with their
// session. Browser tests are skipped with -short.
func newStaffBrowser(t *testing.T, seed webtest.Seed, slug string, who func(store.Event) store.User) staffBrowser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	bg := context.Background()
	s := webtest.New(t, webtest.Options{Seed: seed})
	var ev store.Event
	if slug != "" {
		var err error
		if ev, err = s.Store.EventBySlug(bg, s.Store.DB, slug); err != nil {
			t.Fatal(err)
		}
	}
	u := who(ev)
	if err := s.Store.CreateUser(bg, s.Store.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(s.Store, time.Now).StartSession(bg, u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, s.URL+"/", auth.SessionCookie, cookie)
	return staffBrowser{s: s, st: s.Store, ev: ev, user: u, cookie: cookie, ctx: ctx}
}

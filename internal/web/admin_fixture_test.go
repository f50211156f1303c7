package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// Event A (happening today in the demo) and event B, for door staff grants.
const (
	slugA = "decode-4-lodz"
	slugB = "decode-5-daugavpils"
)

// staffPassword is every fixture user's password (hashed once per test).
const staffPassword = "correct horse battery"

// fixture is a demo programme with one user per role and tokens.
type fixture struct {
	st      *store.Store
	srv     *web.Server
	app     *webtest.Server
	auth    *auth.Service
	users   map[string]store.User // admin, coordinator, partner, doorA, doorB
	tokens  map[string]string     // scan (device of event A), report (coordinator), admin (admin)
	eventA  store.Event
	eventB  store.Event
	deviceA store.Device
	cfg     *config.Config
}

func newFixture(t *testing.T, env map[string]string) *fixture {
	t.Helper()
	ctx := context.Background()
	app := webtest.New(t, webtest.Options{Seed: webtest.Demo, Env: env})
	st := app.Store
	f := &fixture{st: st, srv: app.Web, app: app, cfg: app.Config, auth: auth.New(st, time.Now),
		users: map[string]store.User{}, tokens: map[string]string{}}
	var err error
	if f.eventA, err = st.EventBySlug(ctx, st.DB, slugA); err != nil {
		t.Fatal(err)
	}
	if f.eventB, err = st.EventBySlug(ctx, st.DB, slugB); err != nil {
		t.Fatal(err)
	}
	project, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	kaunas, err := st.PartnerBySlug(ctx, st.DB, project.ID, "kaunas")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{
		{Email: "admin@example.org", Name: "Ada Admin", Role: auth.RoleAdmin},
		{Email: "coord@example.org", Name: "Cora Coordinator", Role: auth.RoleCoordinator, ProjectID: &project.ID},
		{Email: "partner@example.org", Name: "Pia Partner", Role: auth.RolePartner, ProjectID: &project.ID, PartnerID: &kaunas.ID},
		{Email: "door-a@example.org", Name: "Dan DoorA", Role: auth.RoleDoor, ProjectID: &project.ID},
		{Email: "door-b@example.org", Name: "Dora DoorB", Role: auth.RoleDoor, ProjectID: &project.ID},
	} {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, st.DB, &u); err != nil {
			t.Fatal(err)
		}
		key := map[string]string{"admin@example.org": "admin", "coord@example.org": "coordinator",
			"partner@example.org": "partner", "door-a@example.org": "doorA", "door-b@example.org": "doorB"}[u.Email]
		f.users[key] = u
	}
	for key, ev := range map[string]int64{"doorA": f.eventA.ID, "doorB": f.eventB.ID, "partner": f.eventA.ID} {
		if err := st.GrantEvent(ctx, st.DB, f.users[key].ID, ev, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	f.deviceA = store.Device{EventID: f.eventA.ID, Name: "fixture phone"}
	if err := st.CreateDevice(ctx, st.DB, &f.deviceA); err != nil {
		t.Fatal(err)
	}
	f.tokens["scan"] = f.token(t, nil, &f.deviceA.ID, auth.ScopeScan)
	coordID, adminID := f.users["coordinator"].ID, f.users["admin"].ID
	f.tokens["report"] = f.token(t, &coordID, nil, auth.ScopeReport)
	f.tokens["admin"] = f.token(t, &adminID, nil, auth.ScopeAdmin)
	return f
}

// newServer builds one more instance on the fixture's database.
func (f *fixture) newServer(t *testing.T) *web.Server {
	t.Helper()
	return f.app.Another(t)
}

func (f *fixture) token(t *testing.T, userID, deviceID *int64, scope string) string {
	t.Helper()
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	tok := store.APIToken{TokenHash: hash, Prefix: plain[:10], UserID: userID, DeviceID: deviceID, Scopes: []string{scope}}
	if err := f.st.CreateToken(context.Background(), f.st.DB, &tok); err != nil {
		t.Fatal(err)
	}
	return plain
}

// session signs a fixture user in directly and returns the cookie and CSRF token.
func (f *fixture) session(t *testing.T, who string) (cookie, csrf string) {
	t.Helper()
	ctx := context.Background()
	cookie, err := f.auth.StartSession(ctx, f.users[who].ID, true)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.st.SessionByHash(ctx, f.st.DB, auth.Hash(cookie))
	if err != nil {
		t.Fatal(err)
	}
	return cookie, sess.CSRFToken
}

// caller is who makes a request in a test.
type caller struct {
	cookie, csrf, bearer string
}

func (f *fixture) as(t *testing.T, who string) caller {
	switch who {
	case "anonymous":
		return caller{csrf: strings.Repeat("a", 32)}
	case "token-scan", "token-report", "token-admin":
		// Token callers may also post public forms; those take the visitor's CSRF cookie.
		return caller{bearer: f.tokens[strings.TrimPrefix(who, "token-")], csrf: strings.Repeat("b", 32)}
	}
	c, x := f.session(t, who)
	return caller{cookie: c, csrf: x}
}

// do sends one request through the real router and returns status, headers and body.
func (f *fixture) do(t *testing.T, srv *web.Server, c caller, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body []byte
	ct := ""
	if form != nil {
		body, ct = []byte(form.Encode()), "application/x-www-form-urlencoded"
	}
	return f.sendTo(t, srv, c, method, target, body, ct)
}

// sendTo sends one request with a body of any type through srv's router.
func (f *fixture) sendTo(t *testing.T, srv *web.Server, c caller, method, target string, body []byte, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	req.RemoteAddr = "192.0.2.10:1234"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: c.cookie})
	} else if c.csrf != "" {
		req.AddCookie(&http.Cookie{Name: "attend_csrf", Value: c.csrf})
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec
}

func hashOf(cookie string) []byte { return auth.Hash(cookie) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// doFrom posts a form from another client address.
func (f *fixture) doFrom(t *testing.T, c caller, addr, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "attend_csrf", Value: c.csrf})
	req.Header.Set("X-CSRF-Token", c.csrf)
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

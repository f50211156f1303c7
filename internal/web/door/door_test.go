package door_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// newServer serves the application on st through the real router.
func newServer(t testing.TB, st *store.Store) *httptest.Server {
	t.Helper()
	return webtest.New(t, webtest.Options{Store: st, Env: map[string]string{"ATTEND_BASE_URL": "https://door.example.org"}}).HTTP
}

// call sends a request; header holds name/value pairs; body is JSON-encoded unless a string.
func call(t testing.TB, c *http.Client, method, u string, body any, header ...string) (int, map[string]any, string) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		if _, form := body.(string); form {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c == nil {
		c = &http.Client{}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, string(raw)
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

func scanBody(payload string) map[string]any {
	return map[string]any{"payload": payload, "scan_id": newUUID(), "scanned_at": "", "day": ""}
}

func newUUID() string {
	b := make([]byte, 16)
	if _, err := io.ReadFull(randReader, b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hx = "0123456789abcdef"
	var s strings.Builder
	for i, v := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s.WriteByte('-')
		}
		s.WriteByte(hx[v>>4])
		s.WriteByte(hx[v&15])
	}
	return s.String()
}

// session signs a user in and returns a client with the cookie and the CSRF token.
func session(t testing.TB, st *store.Store, ts *httptest.Server, userID int64) (*http.Client, string) {
	t.Helper()
	cookie, err := auth.New(st, time.Now).StartSession(context.Background(), userID, true)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(ts.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: cookie, Path: "/"}})
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, _, page := call(t, c, http.MethodGet, ts.URL+"/door/scan", nil)
	m := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the scanner page")
	}
	return c, m[1]
}

func TestScanAPIAccess(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 2)
	ts := newServer(t, st)
	scans := ts.URL + "/api/v1/scans"
	payload := f.People[0].Ticket.Payload

	if code, m, _ := call(t, nil, http.MethodPost, scans, scanBody(payload)); code != 401 || m["error"] == nil {
		t.Fatalf("no token: %d %v", code, m)
	}
	if code, _, _ := call(t, nil, http.MethodPost, scans, scanBody(payload), bearer("att_notatokenatall234567")...); code != 401 {
		t.Fatalf("bad token: %d", code)
	}
	devID, tok := f.Device(t, f.A, "Door 1")
	if code, m, _ := call(t, nil, http.MethodPost, scans, scanBody(payload), bearer(tok)...); code != 200 || m["result"] != "admitted" {
		t.Fatalf("device: %d %v", code, m)
	}
	if err := st.RevokeDevice(context.Background(), st.DB, devID); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := call(t, nil, http.MethodPost, scans, scanBody(payload), bearer(tok)...); code != 401 {
		t.Fatalf("revoked device: %d", code)
	}
	// A coordinator's report token has no scan right.
	coord := f.User(t, auth.RoleCoordinator)
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	rt := store.APIToken{TokenHash: hash, Prefix: plain[:8], UserID: &coord.ID, Scopes: []string{auth.ScopeReport}}
	if err := st.CreateToken(context.Background(), st.DB, &rt); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := call(t, nil, http.MethodPost, scans+"?event="+f.A.Slug, scanBody(payload), bearer(plain)...); code != 403 {
		t.Fatalf("token without scan scope: %d", code)
	}
	// A device of event B gets A's ticket: wrong event; it cannot name another event.
	_, tokB := f.Device(t, f.B, "Door B")
	if code, m, _ := call(t, nil, http.MethodPost, scans, scanBody(f.People[1].Ticket.Payload), bearer(tokB)...); code != 200 || m["result"] != "wrong_event" {
		t.Fatalf("device of B: %d %v", code, m)
	}
	if code, _, _ := call(t, nil, http.MethodPost, scans+"?event="+f.A.Slug, scanBody(f.People[1].Ticket.Payload), bearer(tokB)...); code != 403 {
		t.Fatalf("device of B naming A: %d", code)
	}
	// Door staff of A: allowed at A; to them B does not exist, and the device list stays closed.
	staff := f.User(t, auth.RoleDoor, f.A)
	c, csrf := session(t, st, ts, staff.ID)
	if code, m, _ := call(t, c, http.MethodPost, scans+"?event="+f.B.Slug, scanBody(f.People[1].Ticket.Payload), "X-CSRF-Token", csrf); code != 404 {
		t.Fatalf("door staff of A at B: %d %v", code, m)
	}
	if code, _, _ := call(t, c, http.MethodGet, ts.URL+"/api/v1/door/bundle?event="+f.B.Slug, nil); code != 404 {
		t.Fatalf("door staff of A read B's bundle: %d", code)
	}
	if code, _, _ := call(t, c, http.MethodPost, scans+"?event="+f.A.Slug, scanBody(f.People[1].Ticket.Payload)); code != 403 {
		t.Fatalf("session scan without CSRF token: %d", code)
	}
	if code, m, _ := call(t, c, http.MethodPost, scans+"?event="+f.A.Slug, scanBody(f.People[1].Ticket.Payload), "X-CSRF-Token", csrf); code != 200 || m["result"] != "admitted" {
		t.Fatalf("door staff of A at A: %d %v", code, m)
	}
	if code, _, _ := call(t, c, http.MethodGet, ts.URL+"/admin/devices", nil); code != 403 {
		t.Fatalf("door staff on the device admin page: %d", code)
	}
	// Undo is for coordinators.
	if code, _, _ := call(t, c, http.MethodPost, ts.URL+"/api/v1/door/undo?event="+f.A.Slug,
		map[string]any{"registration_id": f.People[1].Reg.ID}, "X-CSRF-Token", csrf); code != 403 {
		t.Fatalf("door staff undo: %d", code)
	}
}

func TestScanAPIContract(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 4)
	ts := newServer(t, st)
	_, tok := f.Device(t, f.A, "Door 1")
	h := bearer(tok)

	body := scanBody(f.People[0].Ticket.Payload)
	body["scanned_at"] = "2030-01-01T09:14:00Z" // a clock in the future is capped to now
	code, first, raw1 := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", body, h...)
	if code != 200 || first["result"] != "admitted" {
		t.Fatalf("%d %s", code, raw1)
	}
	for _, k := range []string{"result", "attendee", "first_admitted_at", "first_device"} {
		if _, ok := first[k]; !ok {
			t.Fatalf("answer lacks %q: %s", k, raw1)
		}
	}
	att := first["attendee"].(map[string]any)
	if att["name"] != "Test Person0" || att["country"] != "LT" || att["partner"] != "Kaunas City, Kaunas" || len(att["days"].([]any)) != 2 {
		t.Fatalf("attendee %v", att)
	}
	if strings.Contains(raw1, "@") {
		t.Fatalf("answer holds an e-mail address: %s", raw1)
	}
	_, _, raw2 := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", body, h...)
	if raw2 != raw1 {
		t.Fatalf("retry answered\n%s\nfirst\n%s", raw2, raw1)
	}
	_, again, _ := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", scanBody(f.People[0].Ticket.Payload), h...)
	if again["result"] != "already_admitted" || again["first_device"] != "Door 1" {
		t.Fatalf("second scan %v", again)
	}
	for _, bad := range []any{`{"payload":`, map[string]any{"payload": "x", "scan_id": "nope"}, map[string]any{"payload": "x", "scan_id": newUUID(), "day": "28.05.2019"}} {
		if code, m, _ := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", bad, h...); code < 400 || code >= 500 || m["error"] == nil {
			t.Fatalf("bad body %v: %d %v", bad, code, m)
		}
	}

	// Offline queue: a batch with original times, one malformed item, idempotent on re-send.
	batch := map[string]any{"scans": []map[string]any{
		{"payload": f.People[1].Ticket.Payload, "scan_id": newUUID(), "scanned_at": "2020-01-01T00:00:00Z", "local_result": "admitted"},
		{"payload": f.People[2].Ticket.Payload, "scan_id": newUUID(), "local_result": "admitted"},
		{"payload": f.People[2].Ticket.Payload, "scan_id": "broken"},
	}}
	code, out, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans/batch", batch, h...)
	if code != 200 {
		t.Fatalf("batch %d %s", code, raw)
	}
	res := out["results"].([]any)
	if len(res) != 3 || res[0].(map[string]any)["error"] != "invalid" || res[1].(map[string]any)["result"].(map[string]any)["result"] != "admitted" ||
		res[2].(map[string]any)["error"] != "invalid" {
		t.Fatalf("batch results %s", raw)
	}
	_, _, raw3 := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans/batch", batch, h...)
	if raw3 != raw {
		t.Fatalf("re-sent batch answered differently:\n%s\n%s", raw3, raw)
	}

	// Bundle: keys, people without contact data.
	code, b, rawB := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/bundle", nil, h...)
	if code != 200 || len(b["people"].([]any)) != 4 || len(b["keys"].([]any)) != 1 || len(b["admitted_today"].([]any)) != 2 {
		t.Fatalf("bundle %d %s", code, rawB)
	}
	if strings.Contains(rawB, "@") || strings.Contains(rawB, "email") || strings.Contains(rawB, "phone") {
		t.Fatalf("bundle leaks contact data")
	}
	code, counts, rawC := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/counts", nil, h...)
	if code != 200 || counts["admitted"] != 2.0 || counts["registered"] != 4.0 || counts["expected"] != 2.0 {
		t.Fatalf("counts %s", rawC)
	}

	// Desk: search, manual admission with a reason, walk-in.
	code, found, rawS := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/search?q="+url.QueryEscape(*f.People[3].Reg.Email), nil, h...)
	if code != 200 || len(found["people"].([]any)) != 1 || strings.Contains(rawS, "@") {
		t.Fatalf("search %d %s", code, rawS)
	}
	code, m, _ := call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/admit", map[string]any{"registration_id": f.People[3].Reg.ID}, h...)
	if code != 422 || m["error"].(map[string]any)["fields"].(map[string]any)["reason"] == nil {
		t.Fatalf("admit without reason: %d %v", code, m)
	}
	code, m, _ = call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/admit", map[string]any{"registration_id": f.People[3].Reg.ID, "reason": "Phone battery empty"}, h...)
	if code != 200 || m["result"] != "admitted" {
		t.Fatalf("manual admission: %d %v", code, m)
	}
	code, m, raw = call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/walkins", map[string]any{
		"first_name": `"><img src=x onerror=alert(1)>`, "last_name": "Walker", "country": "UA", "participation": "other", "consent": true}, h...)
	if code != 201 || m["result"] != "admitted" {
		t.Fatalf("walk-in %d %s", code, raw)
	}
	// With an e-mail address: the ticket e-mail is queued in the same transaction.
	code, m, raw = call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/walkins", map[string]any{
		"first_name": "Ona", "last_name": "Walker", "email": "ona.walker@example.org", "country": "LT", "city": "Kaunas",
		"participation": "invited", "consent": true, "language": "lt"}, h...)
	if code != 201 || m["result"] != "admitted" {
		t.Fatalf("walk-in with e-mail %d %s", code, raw)
	}
	regID := int64(m["attendee"].(map[string]any)["registration_id"].(float64))
	var mails int
	if err := st.DB.Get(&mails, `SELECT count(*) FROM outbox WHERE registration_id = $1 AND to_addr = 'ona.walker@example.org'`, regID); err != nil || mails != 1 {
		t.Fatalf("%d ticket e-mails queued for the walk-in (%v)", mails, err)
	}
	code, m, _ = call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/walkins", map[string]any{"first_name": "A", "last_name": "B", "country": "LV", "participation": "local"},
		append(h, "Accept-Language", "lv")...)
	fields, _ := m["error"].(map[string]any)["fields"].(map[string]any)
	if code != 422 || fields["consent"] != "Personai jāpiekrīt privātuma paziņojumam." {
		t.Fatalf("walk-in without consent: %d %v", code, m)
	}
}

var randReader = cryptoRand{}

// The API admits for the scan's own day only: a ticket valid only tomorrow is
// not admitted today by naming tomorrow, and the desk needs a reason to admit
// a person not registered for today.
func TestScanAPIDayIsTheScansDay(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 0)
	ts := newServer(t, st)
	_, tok := f.Device(t, f.A, "Door 1")
	h := bearer(tok)
	today, tomorrow := f.Today.Format("2006-01-02"), f.Today.AddDate(0, 0, 1).Format("2006-01-02")
	p := f.Add(t, f.A, "Tomorrow", f.Today.AddDate(0, 0, 1))
	q := f.Add(t, f.A, "Later", f.Today.AddDate(0, 0, 1))

	body := scanBody(p.Ticket.Payload)
	body["day"] = tomorrow
	code, m, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", body, append(h, "Accept-Language", "lv")...)
	fields, _ := m["error"].(map[string]any)["fields"].(map[string]any)
	if code != 422 || fields["day"] != "day jābūt skenēšanas datumam pasākuma laika joslā; to var nenorādīt." {
		t.Fatalf("scan naming tomorrow: %d %s", code, raw)
	}
	body["day"], body["scan_id"] = today, newUUID()
	if code, m, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans", body, h...); code != 200 || m["result"] != "not_today" || m["day"] != today {
		t.Fatalf("scan naming today: %d %s", code, raw)
	}
	batch := map[string]any{"scans": []map[string]any{{"payload": q.Ticket.Payload, "scan_id": newUUID(), "day": tomorrow, "local_result": "admitted"}}}
	if code, _, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/scans/batch", batch, h...); code != 200 || !strings.Contains(raw, `"error":"invalid"`) {
		t.Fatalf("batch naming tomorrow: %d %s", code, raw)
	}
	var n int
	if err := st.DB.Get(&n, `SELECT count(*) FROM admissions WHERE event_id = $1`, f.A.ID); err != nil || n != 0 {
		t.Fatalf("%d admissions (%v)", n, err)
	}

	// The desk: the search says so, and the admission needs a reason for the day.
	code, found, raw := call(t, nil, http.MethodGet, ts.URL+"/api/v1/door/search?q=Tomorrow", nil, h...)
	if people, _ := found["people"].([]any); code != 200 || len(people) != 1 || people[0].(map[string]any)["registered_today"] != false {
		t.Fatalf("search %d %s", code, raw)
	}
	admit := map[string]any{"registration_id": p.Reg.ID, "reason": "No ticket with them", "day": tomorrow, "day_reason": "Came a day early"}
	if code, m, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/admit", admit, h...); code != 422 || m["error"].(map[string]any)["fields"].(map[string]any)["day"] == nil {
		t.Fatalf("desk naming tomorrow: %d %s", code, raw)
	}
	delete(admit, "day")
	delete(admit, "day_reason")
	if code, m, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/admit", admit, h...); code != 422 || m["error"].(map[string]any)["fields"].(map[string]any)["day_reason"] == nil {
		t.Fatalf("desk without a reason for the day: %d %s", code, raw)
	}
	admit["day_reason"] = "Came a day early"
	if code, m, raw := call(t, nil, http.MethodPost, ts.URL+"/api/v1/door/admit", admit, h...); code != 200 || m["result"] != "admitted" || m["day"] != today {
		t.Fatalf("desk with a reason for the day: %d %s", code, raw)
	}
}

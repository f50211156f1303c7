package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

// A coordinator makes a new signing key from the event's page: tickets issued
// before still get in, a ticket issued after carries the new key id and gets
// in at once (the door does not wait for its copy of the keys to expire), and
// the offline bundle carries both public keys.
func TestEventKeyRotateButton(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	tickets := tickets.New(f.st)
	var ids []int64 // three people not admitted yet
	for _, last := range []string{"Before", "Also-Before", "After"} {
		r := store.Registration{EventID: f.eventA.ID, Status: "confirmed", FirstName: "Key", LastName: last, Country: "LT", Participation: "invited"}
		if err := f.st.InsertRegistration(ctx, f.st.DB, &r, f.eventA.Days()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	var before []store.Ticket
	for _, id := range ids[:2] {
		tk, err := tickets.Issue(ctx, f.st.DB, id, "issued")
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, tk)
	}
	oldKID := kidOf(t, before[0].Payload)

	scan := func(payload string) string {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"payload": payload, "scan_id": uuid.NewString(),
			"scanned_at": time.Now().UTC().Format(time.RFC3339), "method": "qr"})
		req := httptest.NewRequest(http.MethodPost, "/api/v1/scans", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens["scan"])
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		var res struct {
			Result string `json:"result"`
			Reason string `json:"reason"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
			t.Fatalf("scan: %d %s", rec.Code, rec.Body.String())
		}
		return res.Result + " " + res.Reason
	}
	// The door has just read the event's keys: its copy is warm.
	if r := scan(before[0].Payload); r != "admitted " {
		t.Fatalf("ticket before the rotation: %s", r)
	}

	path := "/admin/events/" + slugA + "/keys/rotate"
	coord := f.as(t, "coordinator")
	if rec := f.do(t, f.srv, caller{cookie: coord.cookie}, http.MethodPost, path, nil); rec.Code != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d", rec.Code)
	}
	if rec := f.do(t, f.srv, f.as(t, "doorA"), http.MethodPost, path, nil); rec.Code != http.StatusForbidden {
		t.Fatalf("door staff: %d", rec.Code)
	}
	rec := f.do(t, f.srv, coord, http.MethodPost, path, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/events/"+slugA+"?done=key_rotated" {
		t.Fatalf("rotate: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	keys, _ := f.st.EventKeys(ctx, f.st.DB, f.eventA.ID)
	if len(keys) != 2 || keys[1].KID != oldKID {
		t.Fatalf("keys after the rotation: %+v", keys)
	}
	newKID := keys[0].KID
	page := f.do(t, f.srv, coord, http.MethodGet, "/admin/events/"+slugA+"?done=key_rotated", nil).Body.String()
	if !strings.Contains(page, newKID) || !strings.Contains(page, oldKID) || !strings.Contains(page, "New tickets are signed with a new key") {
		t.Fatalf("the event page does not show the keys:\n%s", page)
	}

	after, err := tickets.Issue(ctx, f.st.DB, ids[2], "issued")
	if err != nil {
		t.Fatal(err)
	}
	if got := kidOf(t, after.Payload); got != newKID {
		t.Fatalf("new ticket signed with %s, want %s", got, newKID)
	}
	if r := scan(after.Payload); r != "admitted " {
		t.Fatalf("ticket signed with the new key, at once: %s", r)
	}
	if r := scan(before[1].Payload); r != "admitted " {
		t.Fatalf("ticket issued before the rotation: %s", r)
	}

	var n int
	f.st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'event.key_rotate' AND actor_user_id = $1
		AND object_id = $2 AND details->>'key_id' = $3`, f.users["coordinator"].ID, itoa(f.eventA.ID), newKID)
	if n != 1 {
		t.Fatal("the rotation is not in the audit log")
	}
	bundle := f.do(t, f.srv, f.as(t, "token-scan"), http.MethodGet, "/api/v1/door/bundle", nil).Body.String()
	if !strings.Contains(bundle, `"`+newKID+`"`) || !strings.Contains(bundle, `"`+oldKID+`"`) {
		t.Fatalf("the offline bundle lacks a key:\n%.400s", bundle)
	}
}

func kidOf(t *testing.T, payload string) string {
	t.Helper()
	c, err := ticketcode.Peek(payload)
	if err != nil {
		t.Fatal(err)
	}
	return c.KeyID
}

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
)

func TestDeviceCommand(t *testing.T) {
	url, st := testStore(t)
	f := checkintest.New(t, st, 0)
	vars := map[string]string{"DATABASE_URL": url, "ATTEND_BASE_URL": "https://door.example.org", "ATTEND_DATA_DIR": t.TempDir()}
	cli := inProcess(vars)

	out, errOut, code := cli("device", "add", "--event", f.A.Slug, "--name", "Door 1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("add: code %d, out %q, err %q", code, out, errOut)
	}
	if !strings.HasPrefix(lines[0], auth.TokenPrefix) || lines[1] != "https://door.example.org/door/pair#"+lines[0] {
		t.Fatalf("add printed %q", lines)
	}
	p, err := auth.New(st, time.Now).Bearer(context.Background(), lines[0])
	if err != nil || !p.IsDevice() || !p.HasScope(auth.ScopeScan) || !p.May(auth.Work, auth.EventObject(f.A), time.Now()) || p.May(auth.Work, auth.EventObject(f.B), time.Now()) {
		t.Fatalf("token principal %+v (%v)", p, err)
	}

	out, _, code = cli("device", "add", "--event", f.A.Slug, "--name", "Door 2", "--json")
	var j struct {
		Token      string `json:"token"`
		PairingURL string `json:"pairing_url"`
		DeviceID   int64  `json:"device_id"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil || !strings.HasSuffix(j.PairingURL, "#"+j.Token) {
		t.Fatalf("add --json: %d %q", code, out)
	}
	if _, errOut, code := cli("device", "add", "--event", f.A.Slug, "--name", "Door 1"); code != 1 || !strings.Contains(errOut, "already has a device") {
		t.Fatalf("duplicate name: %d %q", code, errOut)
	}
	if _, _, code := cli("device", "add", "--event", "no-such-event", "--name", "X"); code != 1 {
		t.Fatalf("unknown event: %d", code)
	}
	if _, _, code := cli("device", "add", "--name", "X"); code != 2 {
		t.Fatalf("missing --event: %d", code)
	}

	out, _, code = cli("device", "list", "--event", f.A.Slug)
	if code != 0 || !strings.Contains(out, "Door 1") || !strings.Contains(out, "Door 2") || strings.Contains(out, auth.TokenPrefix) {
		t.Fatalf("list: %d %q", code, out)
	}
	out, _, code = cli("device", "revoke", itoa64(j.DeviceID))
	if code != 0 || !strings.Contains(out, "Door 2") {
		t.Fatalf("revoke: %d %q", code, out)
	}
	if _, err := auth.New(st, time.Now).Bearer(context.Background(), j.Token); err == nil {
		t.Fatal("revoked device token still works")
	}
	if _, _, code := cli("device", "revoke", itoa64(j.DeviceID)); code != 1 {
		t.Fatalf("second revoke: %d", code)
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

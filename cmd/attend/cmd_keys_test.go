package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

// seededDB is a database holding the demo, its secrets sealed with the test key.
func seededDB(t *testing.T) (string, *store.Store) {
	t.Helper()
	ctx := context.Background()
	url, st := demoStore(t)
	ev, err := st.EventBySlug(ctx, st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := tickets.New(st).IssueMissing(ctx, st.DB, ev.ID); err != nil || n == 0 {
		t.Fatalf("tickets: %d %v", n, err)
	}
	return url, st
}

func newKeyFile(t *testing.T, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "other.key")
	if _, err := secretbox.GenerateKeyFile(p); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, mode)
	return p
}

// lastLine is the error a failed command ends with.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestKeysRotate(t *testing.T) {
	url, st := seededDB(t)
	ctx := context.Background()
	ev, err := st.EventBySlug(ctx, st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.EventKeys(ctx, st.DB, ev.ID)
	out, errOut, code := attend(t, []string{"DATABASE_URL=" + url}, "keys", "rotate", "--event", "decode-4-lodz")
	kid := strings.TrimSpace(out)
	if code != 0 || len(kid) != ticketcode.KeyIDLen {
		t.Fatalf("exit %d, %q\n%s", code, out, errOut)
	}
	after, _ := st.EventKeys(ctx, st.DB, ev.ID)
	if len(after) != len(before)+1 || after[0].KID != kid {
		t.Fatalf("keys before %d, after %+v", len(before), after)
	}
	signing, err := st.SigningEventKey(ctx, st.DB, ev.ID)
	if err != nil || signing.KID != kid || !ed25519.PublicKey(signing.PublicKey).Equal(ed25519.PrivateKey(signing.PrivateKey).Public()) {
		t.Fatalf("signing key: %v", err)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'event.key_rotate' AND actor = 'cli'
		AND object_id = $1 AND details->>'key_id' = $2`, itoa64(ev.ID), kid)
	if n != 1 {
		t.Fatal("the rotation is not in the audit log")
	}
	// Without a key there is nothing to seal the new key with.
	_, errOut, code = attend(t, []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE="}, "keys", "rotate", "--event", "decode-4-lodz")
	if code == 0 || !strings.Contains(lastLine(errOut), "ATTEND_SECRET_KEY_FILE") {
		t.Fatalf("rotate without a key: exit %d\n%s", code, errOut)
	}
	if _, _, code := attend(t, []string{"DATABASE_URL=" + url}, "keys", "rotate", "--event", "no-such-event"); code != 1 {
		t.Fatalf("unknown event: exit %d", code)
	}
}

// The server does not start on sealed secrets it cannot open, nor without a
// key at all (outside the demo); the message says what to do.
func TestServeRefusesWithoutTheKey(t *testing.T) {
	url, _ := seededDB(t)
	empty := dbtest.URL(t)
	for _, c := range []struct {
		name string
		env  []string
		want string
	}{
		{"no key, sealed secrets", []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE="}, "ATTEND_SECRET_KEY_FILE: not set"},
		{"no key, empty database", []string{"DATABASE_URL=" + empty, "ATTEND_SECRET_KEY_FILE="}, "ATTEND_SECRET_KEY_FILE: not set"},
		{"wrong key", []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE=" + newKeyFile(t, 0o600)}, "wrong key file"},
		{"world-readable key", []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE=" + newKeyFile(t, 0o644)}, "chmod 600"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := attend(t, append(c.env, "ATTEND_ADDR="+freeAddr(t)), "serve")
			if code == 0 || !strings.HasPrefix(lastLine(errOut), "attend: ") || !strings.Contains(lastLine(errOut), c.want) {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
		})
	}
	// Other writing commands refuse too; the read-only report needs no key.
	if _, errOut, code := attend(t, []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE="}, "migrate"); code == 0 ||
		!strings.Contains(errOut, "sealed with master key") {
		t.Fatalf("migrate without the key: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := attend(t, []string{"DATABASE_URL=" + url, "ATTEND_SECRET_KEY_FILE="}, "report", "--event", "decode-1-daugavpils",
		"--format", "json"); code != 0 {
		t.Fatalf("report without the key: exit %d\n%s", code, errOut)
	}
}

// Secrets written in clear before sealing existed are sealed by the first
// start with a key; a new master key is rolled in with keys rewrap.
func TestSealOnMigrateAndRewrap(t *testing.T) {
	url, st := seededDB(t)
	ctx := context.Background()
	ev, _ := st.EventBySlug(ctx, st.DB, "decode-2-kaunas")
	_, pub, priv, _ := ticketcode.NewKey(nil)
	if _, err := st.DB.Exec(`INSERT INTO event_keys (event_id, kid, public_key, private_key) VALUES ($1, 'PLAN', $2, $3)`,
		ev.ID, []byte(pub), []byte(priv)); err != nil {
		t.Fatal(err)
	}
	env := []string{"DATABASE_URL=" + url}
	if _, errOut, code := attend(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d\n%s", code, errOut)
	}
	var dump string
	st.DB.Get(&dump, `SELECT string_agg(k::text, ' ') FROM event_keys k`)
	if strings.Contains(dump, hex.EncodeToString(priv.Seed())) {
		t.Fatal("migrate left a private key in clear")
	}
	status, _ := st.Secrets(ctx, st.DB)
	if status.Plain != 0 || len(status.Sealed) != 1 || status.Sealed[st.Sealer.ID()] == 0 {
		t.Fatalf("after migrate: %+v", status)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'secrets.seal'`)
	if n != 1 {
		t.Fatalf("%d audit entries for sealing", n)
	}

	// A new master key: rewrap with the old one, then only the new one works.
	oldFile, newFile := dbtest.KeyFile(t), newKeyFile(t, 0o600)
	newKey, _ := secretbox.LoadKeyFile(newFile)
	out, errOut, code := attend(t, append(env, "ATTEND_SECRET_KEY_FILE="+newFile), "keys", "rewrap", "--old-key-file", oldFile)
	if code != 0 || !strings.Contains(out, "with master key "+newKey.ID()) {
		t.Fatalf("rewrap: exit %d\n%s%s", code, out, errOut)
	}
	status, _ = st.Secrets(ctx, st.DB)
	if len(status.Sealed) != 1 || status.Sealed[newKey.ID()] == 0 {
		t.Fatalf("after rewrap: %+v", status)
	}
	if _, errOut, code := attend(t, env, "migrate"); code == 0 || !strings.Contains(errOut, "wrong key file") {
		t.Fatalf("the old key after rewrap: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := attend(t, append(env, "ATTEND_SECRET_KEY_FILE="+newFile), "keys", "rotate", "--event", "decode-2-kaunas"); code != 0 {
		t.Fatalf("rotate with the new key: exit %d\n%s", code, errOut)
	}
}

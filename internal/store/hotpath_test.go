package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// xmin is the transaction that last wrote a row: unchanged means not written.
func xmin(t *testing.T, st *store.Store, query string, arg any) string {
	t.Helper()
	var x string
	if err := st.DB.Get(&x, query, arg); err != nil {
		t.Fatal(err)
	}
	return x
}

// A signed-in request reads its session; it writes last_seen_at only when the
// last write is over a minute old.
func TestTouchSessionWritesOncePerMinute(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	u := store.User{Email: "s@example.org", Name: "S", Role: "admin", PasswordHash: "x"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	hash := []byte("session-hash-0123456789")
	if err := st.CreateSession(ctx, st.DB, store.Session{IDHash: hash, UserID: u.ID, CSRFToken: "c",
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT xmin::text FROM sessions WHERE id_hash = $1`
	if _, err := st.DB.Exec(`UPDATE sessions SET last_seen_at = now() - interval '5 minutes' WHERE id_hash = $1`, hash); err != nil {
		t.Fatal(err)
	}
	old := xmin(t, st, q, hash)
	s, err := st.TouchSession(ctx, st.DB, hash)
	if err != nil || s.UserID != u.ID {
		t.Fatalf("touch: %+v %v", s, err)
	}
	first := xmin(t, st, q, hash)
	if first == old {
		t.Fatal("a session last seen five minutes ago was not touched")
	}
	for range 3 {
		if s, err = st.TouchSession(ctx, st.DB, hash); err != nil || s.UserID != u.ID {
			t.Fatalf("touch again: %+v %v", s, err)
		}
	}
	if xmin(t, st, q, hash) != first {
		t.Fatal("a session seen within the minute was written again")
	}
	if _, err := st.DB.Exec(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TouchSession(ctx, st.DB, hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
}

// A secret is created once and then only read.
func TestSecretReadsWithoutWriting(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	a, err := st.Secret(ctx, st.DB, "link-key")
	if err != nil || len(a) != 32 {
		t.Fatalf("create: %x %v", a, err)
	}
	const q = `SELECT xmin::text FROM app_secrets WHERE name = $1`
	before := xmin(t, st, q, "link-key")
	// A read-only transaction refuses any write, even an insert that would
	// do nothing: an existing secret is read there without error.
	tx, err := st.DB.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET TRANSACTION READ ONLY`); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := st.Secret(ctx, tx, "link-key")
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("read: %x %v", b, err)
		}
	}
	if xmin(t, st, q, "link-key") != before {
		t.Fatal("reading a secret wrote its row")
	}
}

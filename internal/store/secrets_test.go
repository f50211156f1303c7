package store_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/secretbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
)

const totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// dump is what a copy of the two tables shows: every column of every row as text.
func dump(t *testing.T, st *store.Store) string {
	t.Helper()
	var rows []string
	if err := st.DB.Select(&rows, `SELECT k::text FROM event_keys k UNION ALL SELECT u::text FROM users u`); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

func leaks(d string, priv ed25519.PrivateKey) bool {
	// bytea prints as \x + hex; the seed (first half) alone is the whole key.
	return strings.Contains(d, hex.EncodeToString(priv.Seed())) || strings.Contains(d, totpSecret)
}

func TestSecretsSealedAtRest(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	_, _, e := seedProject(t, st)
	kid, pub, priv, err := ticketcode.NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	k := store.EventKey{EventID: e.ID, KID: kid, PublicKey: pub, PrivateKey: priv}
	if err := st.CreateEventKey(ctx, st.DB, &k); err != nil {
		t.Fatal(err)
	}
	u := store.User{Email: "admin@example.org", Name: "Admin", Role: "admin"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTOTPSecret(ctx, st.DB, u.ID, totpSecret); err != nil {
		t.Fatal(err)
	}
	if d := dump(t, st); leaks(d, priv) {
		t.Fatalf("a dump shows a secret in clear:\n%s", d)
	}
	// The application reads them back; the door's list has no private key.
	got, err := st.SigningEventKey(ctx, st.DB, e.ID)
	if err != nil || !bytes.Equal(got.PrivateKey, priv) || got.KID != kid {
		t.Fatalf("signing key: %v", err)
	}
	if ks, _ := st.EventKeys(ctx, st.DB, e.ID); len(ks) != 1 || ks[0].PrivateKey != nil || !bytes.Equal(ks[0].PublicKey, pub) {
		t.Fatalf("event keys: %+v", ks)
	}
	if s, err := st.TOTPSecret(ctx, st.DB, u.ID); err != nil || s != totpSecret {
		t.Fatalf("totp secret: %q %v", s, err)
	}
	if got, _ := st.User(ctx, st.DB, u.ID); !got.HasTOTP {
		t.Fatal("user has no second factor")
	}
	// A sealed secret copied to another row does not open there.
	other := store.User{Email: "other@example.org", Name: "Other", Role: "admin"}
	st.CreateUser(ctx, st.DB, &other)
	if _, err := st.DB.Exec(`UPDATE users SET totp_sealed = (SELECT totp_sealed FROM users WHERE id = $1) WHERE id = $2`, u.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TOTPSecret(ctx, st.DB, other.ID); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("a copied secret opened: %v", err)
	}
	// Clearing needs no key; setting does.
	st.Sealer = nil
	if err := st.SetTOTPSecret(ctx, st.DB, u.ID, totpSecret); !errors.Is(err, store.ErrNoSecretKey) {
		t.Fatalf("set without a key: %v", err)
	}
	if _, err := st.SigningEventKey(ctx, st.DB, e.ID); !errors.Is(err, store.ErrNoSecretKey) {
		t.Fatalf("open without a key: %v", err)
	}
	if err := st.SetTOTPSecret(ctx, st.DB, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.User(ctx, st.DB, u.ID); got.HasTOTP {
		t.Fatal("second factor not cleared")
	}
}

// Rows written in clear before sealing existed are sealed by SealPlaintext;
// Rewrap moves every sealed secret to a new master key, in one transaction.
func TestSealPlaintextAndRewrap(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	_, _, e := seedProject(t, st)
	_, pub, priv, _ := ticketcode.NewKey(nil)
	if _, err := st.DB.Exec(`INSERT INTO event_keys (event_id, kid, public_key, private_key) VALUES ($1, 'OLDK', $2, $3)`,
		e.ID, []byte(pub), []byte(priv)); err != nil {
		t.Fatal(err)
	}
	u := store.User{Email: "admin@example.org", Name: "Admin", Role: "admin"}
	st.CreateUser(ctx, st.DB, &u)
	if _, err := st.DB.Exec(`UPDATE users SET totp_secret = $2 WHERE id = $1`, u.ID, totpSecret); err != nil {
		t.Fatal(err)
	}
	old := st.Sealer
	status, err := st.Secrets(ctx, st.DB)
	if err != nil || status.Plain != 2 || len(status.Sealed) != 0 {
		t.Fatalf("before: %+v %v", status, err)
	}
	// Until sealed, the rows still work (an upgrade's first start).
	if k, err := st.SigningEventKey(ctx, st.DB, e.ID); err != nil || !bytes.Equal(k.PrivateKey, priv) {
		t.Fatalf("plain signing key: %v", err)
	}
	if got, _ := st.User(ctx, st.DB, u.ID); !got.HasTOTP {
		t.Fatal("a plain secret is a second factor too")
	}
	var n int
	err = st.InTx(ctx, func(tx *sqlx.Tx) error { n, err = st.SealPlaintext(ctx, tx); return err })
	if err != nil || n != 2 {
		t.Fatalf("seal: %d %v", n, err)
	}
	if d := dump(t, st); leaks(d, priv) {
		t.Fatalf("a dump shows a secret in clear after sealing:\n%s", d)
	}
	status, _ = st.Secrets(ctx, st.DB)
	if status.Plain != 0 || status.Sealed[old.ID()] != 2 {
		t.Fatalf("after sealing: %+v", status)
	}

	// A new master key: the keyring holds the old one while rewrapping.
	newKey, _ := secretbox.NewKey(bytes.Repeat([]byte{9}, secretbox.KeySize))
	oldKey, _ := secretbox.NewKey(oldRaw(t))
	st.Sealer = secretbox.NewKeyring(newKey, oldKey)
	err = st.InTx(ctx, func(tx *sqlx.Tx) error { n, err = st.Rewrap(ctx, tx); return err })
	if err != nil || n != 2 {
		t.Fatalf("rewrap: %d %v", n, err)
	}
	st.Sealer = secretbox.NewKeyring(newKey)
	status, _ = st.Secrets(ctx, st.DB)
	if len(status.Sealed) != 1 || status.Sealed[newKey.ID()] != 2 {
		t.Fatalf("after rewrap: %+v", status)
	}
	if k, err := st.SigningEventKey(ctx, st.DB, e.ID); err != nil || !bytes.Equal(k.PrivateKey, priv) {
		t.Fatalf("signing key under the new master key: %v", err)
	}
	if s, err := st.TOTPSecret(ctx, st.DB, u.ID); err != nil || s != totpSecret {
		t.Fatalf("totp under the new master key: %v", err)
	}
	// Rewrapping without the old key changes nothing: one secret it cannot
	// open fails the whole transaction.
	st.Sealer = old
	err = st.InTx(ctx, func(tx *sqlx.Tx) error { _, err := st.Rewrap(ctx, tx); return err })
	if !errors.Is(err, secretbox.ErrNoKey) {
		t.Fatalf("rewrap without the old key: %v", err)
	}
	status, _ = st.Secrets(ctx, st.DB)
	if status.Sealed[newKey.ID()] != 2 {
		t.Fatalf("a failed rewrap changed rows: %+v", status)
	}
}

// oldRaw reads back the test process's key from its key file.
func oldRaw(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(dbtest.KeyFile(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

package secretbox

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func key(t *testing.T, b byte) *Key {
	t.Helper()
	k, err := NewKey(bytes.Repeat([]byte{b}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	a, b := key(t, 1), key(t, 2)
	r := NewKeyring(a)
	secret := []byte("an Ed25519 private key, say")
	sealed := r.Seal(secret, "users.totp:1")
	if len(sealed) != len(secret)+Overhead || bytes.Contains(sealed, secret) {
		t.Fatalf("sealed %x", sealed)
	}
	if KeyID(sealed) != a.ID() || !r.Primary(sealed) {
		t.Fatalf("key id %q, want %q", KeyID(sealed), a.ID())
	}
	if got, err := r.Open(sealed, "users.totp:1"); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	if bytes.Equal(sealed, r.Seal(secret, "users.totp:1")) {
		t.Error("two seals of one secret are equal: the nonce is not random")
	}
	// Another row's context, an altered byte, another key: all refused.
	if _, err := r.Open(sealed, "users.totp:2"); !errors.Is(err, ErrOpen) {
		t.Errorf("other context: %v", err)
	}
	bad := bytes.Clone(sealed)
	bad[len(bad)-1] ^= 1
	if _, err := r.Open(bad, "users.totp:1"); !errors.Is(err, ErrOpen) {
		t.Errorf("altered: %v", err)
	}
	if _, err := NewKeyring(b).Open(sealed, "users.totp:1"); !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), a.ID()) {
		t.Errorf("other key: %v", err)
	}
	if _, err := r.Open([]byte("JBSWY3DPEHPK3PXP"), "users.totp:1"); !errors.Is(err, ErrOpen) {
		t.Errorf("plaintext: %v", err)
	}
	// A keyring with the new key first and the old one behind opens both and
	// seals with the new one (master key rotation).
	both := NewKeyring(b, a)
	if got, err := both.Open(sealed, "users.totp:1"); err != nil || !bytes.Equal(got, secret) || both.Primary(sealed) {
		t.Fatalf("old key in a keyring: %q %v", got, err)
	}
	if KeyID(both.Seal(secret, "x")) != b.ID() || !both.Has(a.ID()) || both.Has("00000000") {
		t.Error("a keyring seals with its primary key")
	}
	if s := fmt.Sprintf("%v %#v %s", a, a, a); strings.Contains(s, "0101") && !strings.Contains(s, a.ID()) {
		t.Errorf("a printed key shows more than its id: %s", s)
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{7}, KeySize)
	want := key(t, 7).ID()
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	for name, content := range map[string][]byte{
		"hex":       []byte(hex.EncodeToString(raw) + "\n"),
		"base64":    []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
		"base64url": []byte(base64.RawURLEncoding.EncodeToString(raw)),
		"raw":       raw,
	} {
		k, err := LoadKeyFile(write(name, content, 0o600))
		if err != nil || k.ID() != want {
			t.Errorf("%s: %v %v", name, k, err)
		}
	}
	for name, tc := range map[string]struct {
		content []byte
		mode    os.FileMode
		msg     string
	}{
		"short":          {[]byte(hex.EncodeToString(raw[:16])), 0o600, "expected 32 bytes"},
		"not hex":        {bytes.Repeat([]byte("zz"), KeySize), 0o600, "expected 32 bytes"},
		"world-readable": {[]byte(hex.EncodeToString(raw)), 0o644, "chmod 600"},
	} {
		_, err := LoadKeyFile(write(name, tc.content, tc.mode))
		if err == nil || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), hex.EncodeToString(raw)) {
			t.Errorf("%s: %v", name, err)
		}
	}

	p := filepath.Join(dir, "new.key")
	k, created, err := LoadOrGenerateKeyFile(p)
	if err != nil || !created {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("generated key file mode %04o", fi.Mode().Perm())
	}
	again, created, err := LoadOrGenerateKeyFile(p)
	if err != nil || created || again.ID() != k.ID() {
		t.Errorf("second load: %v %v %v", again, created, err)
	}
	if _, err := GenerateKeyFile(p); err == nil {
		t.Error("an existing key file was overwritten")
	}
}

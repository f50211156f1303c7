// Package secretbox seals the secrets the database keeps (event signing keys,
// second-factor secrets) with a key the operator holds outside the database,
// so that a dump of the database cannot forge tickets or second factors.
//
// # The key file
//
// ATTEND_SECRET_KEY_FILE names a file holding 32 random bytes, written as 64
// hexadecimal digits (what GenerateKeyFile writes, e.g. from
// `openssl rand -hex 32`), as 44 characters of base64 (standard or URL
// alphabet), or as the raw 32 bytes. Surrounding white space is ignored. A
// file readable or writable by everyone is refused: chmod 600 (or 640 for a
// group the server runs in).
//
// # Sealed format, version 1
//
//	0x01 || key id (4 bytes) || nonce (24 bytes) || XChaCha20-Poly1305(secret) (len(secret)+16 bytes)
//
// The key id is the first 4 bytes of SHA-256("attend secret key" 0x00 key):
// it tells which master key sealed a value without revealing it, so that a
// wrong key file is reported as such and a new master key can be rolled in
// (see Keyring). The additional data is the 5-byte header followed by the
// caller's context (for example "users.totp:42"), so a sealed value copied to
// another row does not open.
package secretbox

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/chacha20poly1305"
)

const (
	// KeySize is the length of a master key.
	KeySize = chacha20poly1305.KeySize
	// Overhead is how much longer a sealed value is than its secret.
	Overhead = headerLen + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

	version   = 0x01
	idLen     = 4
	headerLen = 1 + idLen
)

var (
	// ErrNoKey: a value sealed with a key the keyring does not hold.
	ErrNoKey = errors.New("secretbox: sealed with another key")
	// ErrOpen: the value is not a sealed value or was altered.
	ErrOpen = errors.New("secretbox: cannot open the sealed value")
)

// Key is one master key.
type Key struct {
	id   [idLen]byte
	aead cipher.AEAD
}

// String shows the key id only, so a key printed by mistake gives nothing away.
func (k *Key) String() string { return "secretbox.Key(" + k.ID() + ")" }

// GoString is String for %#v.
func (k *Key) GoString() string { return k.String() }

// ID is the key id in hexadecimal (8 characters).
func (k *Key) ID() string { return hex.EncodeToString(k.id[:]) }

// NewKey builds a key from 32 raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("a key is %d bytes, not %d", KeySize, len(raw))
	}
	aead, err := chacha20poly1305.NewX(raw)
	if err != nil {
		return nil, err
	}
	k := &Key{aead: aead}
	sum := sha256.Sum256(append([]byte("attend secret key\x00"), raw...))
	copy(k.id[:], sum[:idLen])
	return k, nil
}

// ParseKey reads a key file's content: 64 hex digits, base64 of 32 bytes, or
// the 32 raw bytes.
func ParseKey(b []byte) (*Key, error) {
	// 32 bytes of text are a mistake (a 128-bit key in hex, say), not a raw
	// key: random bytes are all printable once in 10^14.
	if len(b) == KeySize && !printable(b) {
		return NewKey(b)
	}
	t := bytes.TrimSpace(b)
	switch len(t) {
	case 2 * KeySize:
		raw := make([]byte, KeySize)
		if _, err := hex.Decode(raw, t); err == nil {
			return NewKey(raw)
		}
	case 43, 44:
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if raw, err := enc.DecodeString(string(t)); err == nil && len(raw) == KeySize {
				return NewKey(raw)
			}
		}
	}
	return nil, fmt.Errorf("expected %d bytes: 64 hexadecimal digits, base64 or raw (found %d bytes)", KeySize, len(b))
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// LoadKeyFile reads and checks a key file. Errors say what is wrong with the
// file, never what is in it.
func LoadKeyFile(path string) (*Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o007 != 0 {
		return nil, fmt.Errorf("%s is open to every user (mode %04o): run chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return k, nil
}

// GenerateKeyFile writes a new random key to path as hex, mode 0600, and
// fails if the file exists: an existing key is never overwritten. The file
// appears whole (written aside, then linked), so a process starting at the
// same moment reads either no file or the full key.
func GenerateKeyFile(path string) (*Key, error) {
	raw := make([]byte, KeySize)
	rand.Read(raw) // never fails since Go 1.24
	f, err := os.CreateTemp(filepath.Dir(path), ".secret-key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(hex.EncodeToString(raw) + "\n")
	}
	if err == nil {
		err = f.Sync()
	}
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err == nil {
		err = os.Link(f.Name(), path)
	}
	if err != nil {
		return nil, err
	}
	return NewKey(raw)
}

// LoadOrGenerateKeyFile loads path, creating it first if it does not exist.
func LoadOrGenerateKeyFile(path string) (k *Key, created bool, err error) {
	k, err = LoadKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	k, err = GenerateKeyFile(path)
	if errors.Is(err, fs.ErrExist) {
		k, err = LoadKeyFile(path) // another process made it meanwhile
		return k, false, err
	}
	return k, err == nil, err
}

// Keyring seals with its primary key and opens with any of its keys; the
// others are former master keys held only while their values are re-sealed.
type Keyring struct {
	primary *Key
	keys    map[[idLen]byte]*Key
}

// NewKeyring returns a keyring sealing with primary and opening with primary
// and old.
func NewKeyring(primary *Key, old ...*Key) *Keyring {
	r := &Keyring{primary: primary, keys: map[[idLen]byte]*Key{primary.id: primary}}
	for _, k := range old {
		if _, ok := r.keys[k.id]; !ok {
			r.keys[k.id] = k
		}
	}
	return r
}

// ID is the primary key's id.
func (r *Keyring) ID() string { return r.primary.ID() }

// Has reports whether the keyring holds the key with id (as from KeyID).
func (r *Keyring) Has(id string) bool {
	for k := range r.keys {
		if hex.EncodeToString(k[:]) == id {
			return true
		}
	}
	return false
}

// Seal encrypts secret with the primary key, bound to context.
func (r *Keyring) Seal(secret []byte, context string) []byte {
	k := r.primary
	out := make([]byte, headerLen+chacha20poly1305.NonceSizeX, Overhead+len(secret))
	out[0] = version
	copy(out[1:], k.id[:])
	rand.Read(out[headerLen:]) // random 24-byte nonces never repeat in practice
	ad := append(out[:headerLen:headerLen], context...)
	return k.aead.Seal(out, out[headerLen:], secret, ad)
}

// Open decrypts a value sealed by Seal with the same context.
func (r *Keyring) Open(sealed []byte, context string) ([]byte, error) {
	if len(sealed) < Overhead || sealed[0] != version {
		return nil, ErrOpen
	}
	var id [idLen]byte
	copy(id[:], sealed[1:headerLen])
	k, ok := r.keys[id]
	if !ok {
		return nil, fmt.Errorf("%w %s", ErrNoKey, hex.EncodeToString(id[:]))
	}
	ad := append(sealed[:headerLen:headerLen], context...)
	nonce := sealed[headerLen : headerLen+chacha20poly1305.NonceSizeX]
	plain, err := k.aead.Open(nil, nonce, sealed[headerLen+chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Primary reports whether sealed was sealed with the primary key.
func (r *Keyring) Primary(sealed []byte) bool {
	return len(sealed) >= headerLen && sealed[0] == version && bytes.Equal(sealed[1:headerLen], r.primary.id[:])
}

// KeyID returns the id of the key that sealed a value, "" if it is not one.
func KeyID(sealed []byte) string {
	if len(sealed) < headerLen || sealed[0] != version {
		return ""
	}
	return hex.EncodeToString(sealed[1:headerLen])
}

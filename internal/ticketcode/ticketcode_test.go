package ticketcode

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// testKey is deterministic so that the committed fuzz corpus holds payloads
// that verify.
func testKey(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleClaims() Claims {
	return Claims{
		EventID:  5,
		TicketID: 123456,
		KeyID:    "K7QA",
		Days:     []time.Time{day(2019, 11, 14), day(2019, 11, 15)},
	}
}

func mustSign(t testing.TB, c Claims, priv ed25519.PrivateKey) string {
	t.Helper()
	s, err := Sign(c, priv)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	pub, priv := testKey(1)
	keys := map[string]ed25519.PublicKey{"K7QA": pub}
	cases := []Claims{
		sampleClaims(),
		{EventID: 1, TicketID: 1, KeyID: "AAAA", Days: []time.Time{day(1970, 1, 1)}},
		{EventID: 1<<63 - 1, TicketID: 1<<63 - 1, KeyID: "7777", Days: []time.Time{day(9999, 12, 11), day(9999, 12, 31)}},
		{EventID: 3, TicketID: 77, KeyID: "K7QA", Days: []time.Time{day(2019, 2, 11), day(2019, 2, 12), day(2019, 2, 13)}},
	}
	for _, c := range cases {
		keys[c.KeyID] = pub
		s := mustSign(t, c, priv)
		if len(s) > MaxLen {
			t.Errorf("%+v: payload %d chars > MaxLen", c, len(s))
		}
		got, err := Verify(s, c.EventID, keys)
		if err != nil {
			t.Fatalf("Verify(%s): %v", s, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
		}
		peek, err := Peek(s)
		if err != nil || !reflect.DeepEqual(peek, c) {
			t.Errorf("Peek = %+v, %v", peek, err)
		}
	}
}

func TestSignNormalisesDays(t *testing.T) {
	_, priv := testKey(1)
	c := sampleClaims()
	c.Days = []time.Time{day(2019, 11, 15), day(2019, 11, 14), day(2019, 11, 15)}
	got, err := Peek(mustSign(t, c, priv))
	if err != nil {
		t.Fatal(err)
	}
	if want := sampleClaims().Days; !reflect.DeepEqual(got.Days, want) {
		t.Errorf("days = %v, want %v", got.Days, want)
	}
}

func TestSignRejects(t *testing.T) {
	_, priv := testKey(1)
	riga := time.FixedZone("EET", 2*3600)
	cases := map[string]func(*Claims){
		"zero event":    func(c *Claims) { c.EventID = 0 },
		"negative tick": func(c *Claims) { c.TicketID = -1 },
		"short kid":     func(c *Claims) { c.KeyID = "ABC" },
		"lowercase kid": func(c *Claims) { c.KeyID = "abcd" },
		"kid digit 1":   func(c *Claims) { c.KeyID = "ABC1" },
		"no days":       func(c *Claims) { c.Days = nil },
		"not midnight":  func(c *Claims) { c.Days = []time.Time{day(2019, 5, 23).Add(time.Hour)} },
		"local day":     func(c *Claims) { c.Days = []time.Time{time.Date(2019, 5, 23, 0, 0, 0, 0, riga)} },
		"22 days":       func(c *Claims) { c.Days = []time.Time{day(2019, 5, 1), day(2019, 5, 22)} },
		"before 1970":   func(c *Claims) { c.Days = []time.Time{day(1969, 12, 31)} },
		"after 9999":    func(c *Claims) { c.Days = []time.Time{day(10000, 1, 1)} },
	}
	for name, mod := range cases {
		c := sampleClaims()
		mod(&c)
		if s, err := Sign(c, priv); err == nil {
			t.Errorf("%s: Sign = %q, want error", name, s)
		}
	}
	if _, err := Sign(sampleClaims(), priv[:10]); err == nil {
		t.Error("short private key accepted")
	}
	// 21 days is the maximum and allowed.
	c := sampleClaims()
	c.Days = []time.Time{day(2019, 5, 1), day(2019, 5, 21)}
	mustSign(t, c, priv)
}

func TestVerifyErrors(t *testing.T) {
	pub1, priv1 := testKey(1)
	pub2, priv2 := testKey(2)
	c := sampleClaims()
	good := mustSign(t, c, priv1)
	keys := map[string]ed25519.PublicKey{"K7QA": pub1}

	// Signed by another key under the same key id: a forgery.
	forged := mustSign(t, c, priv2)
	other := c
	other.KeyID = "ZZZZ"
	unknown := mustSign(t, other, priv2)

	cases := []struct {
		name    string
		payload string
		event   int64
		keys    map[string]ed25519.PublicKey
		want    error
	}{
		{"ok", good, 5, keys, nil},
		{"wrong event", good, 4, keys, ErrWrongEvent},
		{"unknown key", unknown, 5, keys, ErrUnknownKey},
		{"no keys", good, 5, nil, ErrUnknownKey},
		{"short public key", good, 5, map[string]ed25519.PublicKey{"K7QA": pub1[:31]}, ErrUnknownKey},
		{"forged", forged, 5, keys, ErrBadSignature},
		{"key swapped", good, 5, map[string]ed25519.PublicKey{"K7QA": pub2}, ErrBadSignature},
		{"malformed", "DA1:", 5, keys, ErrMalformed},
	}
	for _, tc := range cases {
		got, err := Verify(tc.payload, tc.event, tc.keys)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
		if err != nil && !reflect.DeepEqual(got, Claims{}) {
			t.Errorf("%s: claims returned with error: %+v", tc.name, got)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	kidOld, pubOld, privOld, err := NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	kidNew, pubNew, privNew, err := NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if kidOld == kidNew {
		t.Skip("random key ids collided")
	}
	keys := map[string]ed25519.PublicKey{kidOld: pubOld, kidNew: pubNew}

	c := sampleClaims()
	c.KeyID = kidOld
	oldTicket := mustSign(t, c, privOld)
	c.KeyID = kidNew
	newTicket := mustSign(t, c, privNew)

	for _, s := range []string{oldTicket, newTicket} {
		if _, err := Verify(s, 5, keys); err != nil {
			t.Errorf("Verify with both keys: %v", err)
		}
	}
	// Retiring the old key invalidates tickets signed with it only.
	delete(keys, kidOld)
	if _, err := Verify(oldTicket, 5, keys); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("retired key: err = %v, want ErrUnknownKey", err)
	}
	if _, err := Verify(newTicket, 5, keys); err != nil {
		t.Errorf("new key after retirement: %v", err)
	}
}

func TestNewKey(t *testing.T) {
	kid, pub, priv, err := NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !validKeyID(kid) || len(pub) != ed25519.PublicKeySize || len(priv) != ed25519.PrivateKeySize {
		t.Fatalf("NewKey = %q, %d, %d", kid, len(pub), len(priv))
	}
	if _, _, _, err := NewKey(bytes.NewReader(make([]byte, 10))); err == nil {
		t.Error("short random source accepted")
	}
}

// Every single-character change of a valid payload must fail to verify.
func TestEveryCharacterFlipFails(t *testing.T) {
	pub, priv := testKey(1)
	keys := map[string]ed25519.PublicKey{"K7QA": pub}
	good := mustSign(t, sampleClaims(), priv)
	subst := kidChars + "abcz0189=:-_ \n"
	tried := 0
	for i := range len(good) {
		for _, r := range subst {
			if byte(r) == good[i] {
				continue
			}
			bad := good[:i] + string(r) + good[i+1:]
			if _, err := Verify(bad, 5, keys); err == nil {
				t.Fatalf("payload with position %d set to %q verified: %s", i, r, bad)
			}
			tried++
		}
	}
	if tried < len(good)*len(kidChars)-len(good) {
		t.Fatalf("only %d substitutions tried", tried)
	}
}

// raw builds a payload from body bytes with a dummy signature, for the
// malformed cases that must fail before any signature check.
func raw(body ...[]byte) string {
	b := bytes.Join(body, nil)
	b = append(b, make([]byte, sigLen)...)
	return Prefix + enc.EncodeToString(b)
}

func uv(v uint64) []byte { return binary.AppendUvarint(nil, v) }

func TestMalformed(t *testing.T) {
	_, priv := testKey(1)
	good := mustSign(t, sampleClaims(), priv)
	text := strings.TrimPrefix(good, Prefix)
	day0 := uv(uint64(day(2019, 11, 14).Unix() / 86400))
	kid := []byte("K7QA")
	// raw(...) with these pieces is well-formed; the table varies one.
	ok := raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{3, 0, 0})
	if _, err := Peek(ok); err != nil {
		t.Fatalf("control payload: %v", err)
	}
	cases := map[string]string{
		"empty":             "",
		"prefix only":       Prefix,
		"no prefix":         text,
		"other version":     "DA2:" + text,
		"lowercase prefix":  "da1:" + text,
		"lowercase body":    Prefix + strings.ToLower(text),
		"padding":           good + "====",
		"newline inside":    good[:40] + "\n" + good[40:],
		"trailing newline":  good + "\n",
		"leading space":     " " + good,
		"too long":          Prefix + strings.Repeat("A", MaxLen),
		"truncated":         good[:len(good)-1],
		"bad base32 length": good[:len(good)-3],
		"version byte 2":    raw([]byte{2}, uv(5), uv(9), kid, day0, []byte{3, 0, 0}),
		"zero event":        raw([]byte{1}, uv(0), uv(9), kid, day0, []byte{3, 0, 0}),
		"zero ticket":       raw([]byte{1}, uv(5), uv(0), kid, day0, []byte{3, 0, 0}),
		"event > int64":     raw([]byte{1}, uv(1<<63), uv(9), kid, day0, []byte{3, 0, 0}),
		"overlong uvarint":  raw([]byte{1}, []byte{0x85, 0x00}, uv(9), kid, day0, []byte{3, 0, 0}),
		"uvarint overflow":  raw([]byte{1}, bytes.Repeat([]byte{0xff}, 10), []byte{1}, uv(9), kid, day0, []byte{3, 0, 0}),
		"lowercase kid":     raw([]byte{1}, uv(5), uv(9), []byte("k7qa"), day0, []byte{3, 0, 0}),
		"kid with 0":        raw([]byte{1}, uv(5), uv(9), []byte("K0QA"), day0, []byte{3, 0, 0}),
		"empty mask":        raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{0, 0, 0}),
		"mask without 1st":  raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{2, 0, 0}),
		"22nd day":          raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{1, 0, 0x20}),
		"day after 9999":    raw([]byte{1}, uv(5), uv(9), kid, uv(lastDay+1), []byte{1, 0, 0}),
		"short mask":        raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{3, 0}),
		"trailing byte":     raw([]byte{1}, uv(5), uv(9), kid, day0, []byte{3, 0, 0, 0}),
		"body missing":      Prefix + enc.EncodeToString(make([]byte, sigLen)),
		"only kid":          raw([]byte{1}, uv(5), uv(9), kid),
	}
	for name, s := range cases {
		if _, err := Peek(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Peek(%q) err = %v, want ErrMalformed", name, s, err)
		}
		if _, err := Verify(s, 5, nil); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Verify err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestValidOn(t *testing.T) {
	c := sampleClaims()
	riga, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		riga = time.FixedZone("EET", 2*3600)
	}
	cases := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2019, 11, 14, 0, 30, 0, 0, riga), true}, // still 13 Nov in UTC
		{time.Date(2019, 11, 15, 23, 59, 0, 0, riga), true},
		{time.Date(2019, 11, 16, 0, 1, 0, 0, riga), false},
		{time.Date(2019, 11, 13, 23, 0, 0, 0, riga), false},
	}
	for _, tc := range cases {
		if got := c.ValidOn(tc.at); got != tc.want {
			t.Errorf("ValidOn(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if len(c) != CodeLen || strings.ContainsAny(c, "01OI") {
			t.Fatalf("bad code %q", c)
		}
		if n, ok := NormalizeCode(c); !ok || n != c {
			t.Fatalf("NormalizeCode(%q) = %q, %v", c, n, ok)
		}
		seen[c] = true
	}
	if len(seen) < 1000 {
		t.Errorf("only %d distinct codes in 1000", len(seen))
	}
	for in, want := range map[string]string{
		"abcd-2345": "ABCD2345", " ABCD 2345 ": "ABCD2345", "ABCD234O": "", "ABC": "", "ABCD23456": "",
	} {
		got, ok := NormalizeCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	pub, priv := testKey(1)
	keys := map[string]ed25519.PublicKey{"K7QA": pub}
	f.Add(mustSign(f, sampleClaims(), priv))
	f.Add("DA1:")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, body, sig, err := parse(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("parse error %v is not ErrMalformed", err)
			}
			return
		}
		// Anything that parses is canonical: it re-encodes to itself.
		again, err := marshal(c)
		if err != nil {
			t.Fatalf("parsed claims do not marshal: %v", err)
		}
		if got := Prefix + enc.EncodeToString(append(again, sig...)); got != s || !bytes.Equal(again, body) {
			t.Fatalf("re-encoding differs:\n got %q\nwant %q", got, s)
		}
		if v, err := Verify(s, c.EventID, keys); err == nil {
			// Ed25519 is deterministic: a genuine payload is exactly what
			// Sign produces for its claims.
			if re := mustSign(t, v, priv); re != s {
				t.Fatalf("verified payload does not re-sign to itself:\n got %q\nwant %q", re, s)
			}
		}
	})
}

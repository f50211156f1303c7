package ticketcode

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"
)

func TestCertificateCode(t *testing.T) {
	kid, pub, priv, err := NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	c := Claims{EventID: 7, TicketID: 123456, KeyID: kid, Days: []time.Time{d, d.AddDate(0, 0, 2)}}
	code, err := SignCertificate(c, priv)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) > 110 {
		t.Fatalf("code is %d characters", len(code))
	}
	got, err := VerifyCertificate(code, pub)
	if err != nil || got.TicketID != 123456 || got.EventID != 7 || len(got.Days) != 2 || !got.Days[1].Equal(d.AddDate(0, 0, 2)) {
		t.Fatalf("verify: %+v %v", got, err)
	}
	// Every single-character change is refused.

	for i := range len(code) {
		for _, r := range []byte{'A', 'z', '-'} {
			if code[i] == r {
				continue
			}
			bad := code[:i] + string(r) + code[i+1:]
			if _, err := VerifyCertificate(bad, pub); err == nil {
				t.Fatalf("changed at %d to %c: accepted", i, r)
			}
		}
	}

	// A ticket signed with the same key is not a certificate, and the reverse.
	tk, err := Sign(c, priv)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := enc.DecodeString(tk[len(Prefix):])
	if _, err := VerifyCertificate(certEnc.EncodeToString(data), pub); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("ticket as certificate: %v", err)
	}
	raw, _ := certEnc.DecodeString(code)
	if _, err := Verify(Prefix+enc.EncodeToString(raw), 7, map[string]ed25519.PublicKey{kid: pub}); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("certificate as ticket: %v", err)
	}
	// Another key's signature is refused.
	_, pub2, _, _ := NewKey(nil)
	if _, err := VerifyCertificate(code, pub2); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("other key: %v", err)
	}
	for _, bad := range []string{"", "!!!", code + "A", code + "=", string(make([]byte, 200))} {
		if _, err := VerifyCertificate(bad, pub); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

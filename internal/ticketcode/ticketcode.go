// Package ticketcode signs and verifies the payload carried by a ticket's QR code.
//
// A payload says which ticket it is, for which event and on which days it is
// valid, signed with Ed25519 by one of the event's keys. A scanner holding
// only the event's public keys can thus tell a genuine ticket from a forged or
// altered one, offline.
//
// # Format, version 1
//
//	payload = "DA1:" BASE32(body || sig)
//
// BASE32 is RFC 4648 base32 with the standard alphabet A-Z 2-7, uppercase,
// without "=" padding. Uppercase base32 stays inside the QR alphanumeric
// character set (as do "DA1:" and the colon), which packs 5.5 bits per
// character instead of 8; a typical payload (about 130 characters) fits a version 6
// QR code at error-correction level M, where base64url would need version 7.
//
// body, in order (uvarint = unsigned LEB128 as in Go's encoding/binary, the
// shortest form only):
//
//	offset  size   field
//	0       1      version, 0x01
//	1       1-9    event id, uvarint, 1 <= id <= 2^63-1
//	.       1-9    ticket id, uvarint, 1 <= id <= 2^63-1
//	.       4      key id, 4 ASCII bytes from A-Z 2-7
//	.       1-3    first day, uvarint, days since 1970-01-01 (UTC dates)
//	.       3      day mask m = b0 | b1<<8 | b2<<16; bit i set means
//	               first day + i is valid; bit 0 must be set, bits 21-23 clear
//
// sig is the 64-byte Ed25519 signature (RFC 8032, pure Ed25519, no context)
// of body, made with the private key named by the key id. The body has no
// length field: sig is always the last 64 bytes of the decoded data and the
// body must be consumed exactly.
//
// Parsing is strict: anything over MaxLen characters, a wrong prefix,
// lowercase or padding, a decoded form that does not re-encode to exactly the
// same string (non-canonical base32 or uvarints), trailing bytes, zero ids, an
// empty mask or days beyond the 21st is ErrMalformed.
//
// A browser verifier needs only: strip "DA1:", base32-decode, split off the
// last 64 bytes, read the fields above and call
// crypto.subtle.verify("Ed25519", key, sig, body) with the raw 32-byte public
// key imported for the key id.
//
// Several keys per event may be valid at once (rotation): the newest signs,
// scanners accept any key they hold.
package ticketcode

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

const (
	// Prefix starts every version 1 payload.
	Prefix = "DA1:"
	// MaxLen bounds the payload length checked before any decoding. The
	// largest well-formed payload (maximal ids) is 153 characters.
	MaxLen = 200
	// MaxDays is the longest validity span: an event lasts at most 21 days.
	MaxDays = 21
	// KeyIDLen is the length of a key id.
	KeyIDLen = 4

	version  = 0x01
	sigLen   = ed25519.SignatureSize
	maskLen  = 3
	minBody  = 1 + 1 + 1 + KeyIDLen + 1 + maskLen
	kidChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	// lastDay is 9999-12-31, so every day is an ordinary time.Time date.
	lastDay = 2932896
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// Errors returned by Peek and Verify; test with errors.Is.
var (
	ErrMalformed    = errors.New("ticket: malformed payload")
	ErrBadSignature = errors.New("ticket: bad signature")
	ErrUnknownKey   = errors.New("ticket: unknown key")
	ErrWrongEvent   = errors.New("ticket: ticket is for another event")
)

// Claims is what a payload asserts.
type Claims struct {
	EventID  int64
	TicketID int64
	// KeyID names the event key that signed the payload.
	KeyID string
	// Days are the UTC-midnight dates the ticket is valid on, ascending,
	// spanning at most MaxDays.
	Days []time.Time
}

// ValidOn reports whether the calendar date of t, read in t's own location,
// is one of c.Days. Pass a time in the event's time zone.
func (c Claims) ValidOn(t time.Time) bool {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for _, v := range c.Days {
		if v.Equal(day) {
			return true
		}
	}
	return false
}

// Sign encodes c and signs it with priv, which must belong to c.KeyID.
// Days may come in any order; duplicates collapse. Each must be a UTC
// midnight: a time with a clock part is a caller bug, not a date.
func Sign(c Claims, priv ed25519.PrivateKey) (string, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return "", errors.New("ticket: bad private key length")
	}
	body, err := marshal(c)
	if err != nil {
		return "", err
	}
	data := append(body, ed25519.Sign(priv, body)...)
	return Prefix + enc.EncodeToString(data), nil
}

// Peek decodes a payload without checking its signature, for display only
// (for example "this ticket is for event X"). Never admit on Peek alone.
func Peek(payload string) (Claims, error) {
	c, _, _, err := parse(payload)
	return c, err
}

// Verify decodes payload and checks that it belongs to eventID and carries a
// valid signature by one of keys (key id -> public key). Checks run in the
// order malformed, wrong event, unknown key, bad signature. The event id is
// compared before the signature because only this event's keys are at hand;
// ErrWrongEvent therefore says what the payload claims, not that it is
// genuine. On error the returned Claims are zero.
func Verify(payload string, eventID int64, keys map[string]ed25519.PublicKey) (Claims, error) {
	c, pub, body, sig, err := read(payload, eventID, keys)
	if err != nil {
		return Claims{}, err
	}
	if !ed25519.Verify(pub, body, sig) {
		return Claims{}, ErrBadSignature
	}
	return c, nil
}

// Unverified is Verify without the signature check (ErrBadSignature is the
// one error it cannot give), for a caller that holds the payload as signed
// and compares the two texts instead: the server at its own door.
func Unverified(payload string, eventID int64, keys map[string]ed25519.PublicKey) (Claims, error) {
	c, _, _, _, err := read(payload, eventID, keys)
	return c, err
}

// read parses payload and checks its event and key: Verify's checks up to
// the signature.
func read(payload string, eventID int64, keys map[string]ed25519.PublicKey) (c Claims, pub ed25519.PublicKey, body, sig []byte, err error) {
	c, body, sig, err = parse(payload)
	if err != nil {
		return Claims{}, nil, nil, nil, err
	}
	if c.EventID != eventID {
		return Claims{}, nil, nil, nil, ErrWrongEvent
	}
	pub, ok := keys[c.KeyID]
	if !ok || len(pub) != ed25519.PublicKeySize {
		return Claims{}, nil, nil, nil, ErrUnknownKey
	}
	return c, pub, body, sig, nil
}

// NewKey generates an event key pair and a random key id. A nil r means
// crypto/rand. Key ids are random rather than sequential so that ids from
// different events never suggest an order; collisions within one event are
// for the caller to reject (a unique constraint).
func NewKey(r io.Reader) (kid string, pub ed25519.PublicKey, priv ed25519.PrivateKey, err error) {
	if r == nil {
		r = rand.Reader
	}
	var b [KeyIDLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", nil, nil, fmt.Errorf("ticket: key id: %w", err)
	}
	id := make([]byte, KeyIDLen)
	for i, v := range b {
		id[i] = kidChars[v&31]
	}
	pub, priv, err = ed25519.GenerateKey(r)
	if err != nil {
		return "", nil, nil, fmt.Errorf("ticket: key: %w", err)
	}
	return string(id), pub, priv, nil
}

func validKeyID(s string) bool {
	if len(s) != KeyIDLen {
		return false
	}
	for i := range len(s) {
		if strings.IndexByte(kidChars, s[i]) < 0 {
			return false
		}
	}
	return true
}

func marshal(c Claims) ([]byte, error) {
	if c.EventID <= 0 || c.TicketID <= 0 {
		return nil, errors.New("ticket: event and ticket ids must be positive")
	}
	if !validKeyID(c.KeyID) {
		return nil, fmt.Errorf("ticket: bad key id %q", c.KeyID)
	}
	if len(c.Days) == 0 {
		return nil, errors.New("ticket: no days")
	}
	days := make([]int64, 0, len(c.Days))
	for _, t := range c.Days {
		u := t.Unix()
		if u%86400 != 0 || t.Nanosecond() != 0 {
			return nil, fmt.Errorf("ticket: day %s is not a UTC midnight", t)
		}
		days = append(days, u/86400)
	}
	slices.Sort(days)
	days = slices.Compact(days)
	first := days[0]
	if first < 0 || first > lastDay {
		return nil, errors.New("ticket: day out of range")
	}
	if days[len(days)-1]-first >= MaxDays {
		return nil, fmt.Errorf("ticket: days span more than %d days", MaxDays)
	}
	var mask uint32
	for _, d := range days {
		mask |= 1 << (d - first)
	}
	b := make([]byte, 0, 32)
	b = append(b, version)
	b = binary.AppendUvarint(b, uint64(c.EventID))
	b = binary.AppendUvarint(b, uint64(c.TicketID))
	b = append(b, c.KeyID...)
	b = binary.AppendUvarint(b, uint64(first))
	b = append(b, byte(mask), byte(mask>>8), byte(mask>>16))
	return b, nil
}

func malformed(why string) error { return fmt.Errorf("%w: %s", ErrMalformed, why) }

func parse(payload string) (c Claims, body, sig []byte, err error) {
	if len(payload) > MaxLen {
		return Claims{}, nil, nil, malformed("too long")
	}
	text, ok := strings.CutPrefix(payload, Prefix)
	if !ok {
		return Claims{}, nil, nil, malformed("unknown prefix")
	}
	data, err := enc.DecodeString(text)
	// The decoder skips newlines and ignores unused trailing bits; a second
	// encoding of the same bytes must reproduce the input exactly.
	if err != nil || enc.EncodeToString(data) != text {
		return Claims{}, nil, nil, malformed("bad base32")
	}
	return parseData(data)
}

// parseData reads body || sig, the decoded form shared by tickets and
// certificates.
func parseData(data []byte) (c Claims, body, sig []byte, err error) {
	if len(data) < minBody+sigLen {
		return Claims{}, nil, nil, malformed("too short")
	}
	body, sig = data[:len(data)-sigLen], data[len(data)-sigLen:]

	r := body
	if r[0] != version {
		return Claims{}, nil, nil, malformed("unknown version")
	}
	r = r[1:]
	var ids [2]int64
	for i := range ids {
		v, n := binary.Uvarint(r)
		if n <= 0 || v == 0 || v > math.MaxInt64 {
			return Claims{}, nil, nil, malformed("bad id")
		}
		ids[i], r = int64(v), r[n:]
	}
	if len(r) < KeyIDLen {
		return Claims{}, nil, nil, malformed("too short")
	}
	kid := string(r[:KeyIDLen])
	if !validKeyID(kid) {
		return Claims{}, nil, nil, malformed("bad key id")
	}
	r = r[KeyIDLen:]
	first, n := binary.Uvarint(r)
	if n <= 0 || first > lastDay {
		return Claims{}, nil, nil, malformed("bad first day")
	}
	r = r[n:]
	if len(r) != maskLen {
		return Claims{}, nil, nil, malformed("bad length")
	}
	mask := uint32(r[0]) | uint32(r[1])<<8 | uint32(r[2])<<16
	if mask&1 == 0 || mask>>MaxDays != 0 {
		return Claims{}, nil, nil, malformed("bad day mask")
	}
	c = Claims{EventID: ids[0], TicketID: ids[1], KeyID: kid}
	for i := range MaxDays {
		if mask&(1<<i) != 0 {
			c.Days = append(c.Days, time.Unix((int64(first)+int64(i))*86400, 0).UTC())
		}
	}
	// Non-minimal uvarints decode fine but would let one ticket have many
	// spellings; only the canonical body is accepted.
	if again, err := marshal(c); err != nil || string(again) != string(body) {
		return Claims{}, nil, nil, malformed("non-canonical")
	}
	return c, body, sig, nil
}

// Package auth decides who is calling: a signed-in user (server-side session),
// a user's API token or a door device's token. It knows roles and scopes; the
// web layer only asks it.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// Roles, from most to least powerful.
const (
	RoleAdmin       = "admin"
	RoleCoordinator = "coordinator"
	RolePartner     = "partner"
	RoleDoor        = "door"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleCoordinator, RolePartner, RoleDoor}

// Scopes a token may carry.
const (
	ScopeScan   = "scan"
	ScopeReport = "report"
	ScopeAdmin  = "admin"
)

// Principal is whoever makes a request.
type Principal struct {
	UserID    int64
	DeviceID  int64
	TokenID   int64
	Name      string
	Email     string
	Role      string // for users; "" for devices
	ProjectID *int64
	PartnerID *int64
	// PartnerProjectID is the project of a partner coordinator's partner.
	PartnerProjectID int64
	Language         string
	// Events a door user or device may work; nil means every event (admin, coordinator).
	Events map[int64]store.EventGrant
	Scopes []string // set for token callers
	// Session fields (browser callers only).
	CSRFToken string
	// TokenHash is set when a device was recognised by its token from
	// memory (ScanBearer) without asking the database whether the token is
	// still live: the scan statement checks that itself (store.DoorScan).
	TokenHash []byte
}

// IsDevice reports whether the caller is a door device.
func (p *Principal) IsDevice() bool { return p != nil && p.DeviceID != 0 }

// Label names the caller for the audit log without personal data.
func (p *Principal) Label() string {
	switch {
	case p == nil:
		return "anonymous"
	case p.DeviceID != 0:
		return fmt.Sprintf("device:%d", p.DeviceID)
	default:
		return fmt.Sprintf("user:%d", p.UserID)
	}
}

// rank orders roles so that "at least coordinator" is one comparison.
func rank(role string) int {
	switch role {
	case RoleAdmin:
		return 4
	case RoleCoordinator:
		return 3
	case RolePartner:
		return 2
	case RoleDoor:
		return 1
	}
	return 0
}

// AtLeast reports whether the caller is a user with role or a stronger one.
// Partner coordinators and door staff are parallel roles: AtLeast(RoleDoor)
// admits door staff, coordinators and admins, not partners.
func (p *Principal) AtLeast(role string) bool {
	if p == nil || p.UserID == 0 {
		return false
	}
	if role == RoleDoor && p.Role == RolePartner {
		return false
	}
	return rank(p.Role) >= rank(role)
}

// HasScope reports whether a token caller has the scope. Session callers have
// no scopes; their role decides.
func (p *Principal) HasScope(scope string) bool {
	return p != nil && slices.Contains(p.Scopes, scope)
}

// Service authenticates callers.
type Service struct {
	Store *store.Store
	Now   func() time.Time

	devices deviceTokens
}

// deviceTokens remembers what never changes about a device token once it was
// found live: its device, event, name and scopes (not whether it is still
// live, which ScanBearer leaves to the scan statement).
type deviceTokens struct {
	mu sync.Mutex
	m  map[string]Principal
}

func (d *deviceTokens) get(hash []byte) (Principal, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.m[string(hash)]
	return p, ok
}

func (d *deviceTokens) put(hash []byte, p Principal) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil || len(d.m) > 10000 {
		d.m = map[string]Principal{}
	}
	d.m[string(hash)] = p
}

// New returns the service.
func New(st *store.Store, now func() time.Time) *Service { return &Service{Store: st, Now: now} }

// TokenPrefix starts every API token so that leaked tokens are recognisable.
const TokenPrefix = "att_"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a random token with prefix and its SHA-256 hash.
func NewSecret(prefix string) (plain string, hash []byte) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	plain = prefix + strings.ToLower(b32.EncodeToString(b[:]))
	return plain, Hash(plain)
}

// Hash is the stored form of a token or cookie value.
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Bearer authenticates an Authorization: Bearer token.
func (s *Service) Bearer(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, apperr.ErrUnauthorized
	}
	hash := Hash(token)
	o, err := s.Store.TokenOwner(ctx, s.Store.DB, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	p := &Principal{TokenID: o.TokenID, Scopes: o.Scopes}
	if o.DeviceID != nil {
		p.DeviceID = *o.DeviceID
		if o.DeviceName != nil {
			p.Name = *o.DeviceName
		}
		p.Events = map[int64]store.EventGrant{*o.DeviceEventID: {EventID: *o.DeviceEventID}}
		s.devices.put(hash, *p)
		return p, nil
	}
	if _, err := s.loadUser(ctx, p, *o.UserID); err != nil {
		return nil, err
	}
	return p, nil
}

// ScanBearer authenticates a bearer token for the scan API. A device token
// seen live before is recognised from memory, with TokenHash set: the scan's
// own statement then checks that it is still live, in the same round trip
// as the admission. Any other token is checked as by Bearer. Only a caller
// that passes TokenHash on to that check may use this.
func (s *Service) ScanBearer(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, apperr.ErrUnauthorized
	}
	hash := Hash(token)
	if p, ok := s.devices.get(hash); ok {
		p.TokenHash = hash
		p.Events = maps.Clone(p.Events)
		return &p, nil
	}
	return s.Bearer(ctx, token)
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "attend_session"

// SessionTTL is how long a session lives without sign-in.
const SessionTTL = 12 * time.Hour

// Session authenticates a session cookie value.
func (s *Service) Session(ctx context.Context, cookie string) (*Principal, error) {
	if cookie == "" || len(cookie) > 100 {
		return nil, apperr.ErrUnauthorized
	}
	sess, err := s.Store.TouchSession(ctx, s.Store.DB, Hash(cookie))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	p := &Principal{CSRFToken: sess.CSRFToken}
	u, err := s.loadUser(ctx, p, sess.UserID)
	if err != nil {
		return nil, err
	}
	// A session of a user with a second factor authenticates only once the
	// code was given; until then it serves the code page alone.
	if u.HasTOTP && !sess.SecondFactor {
		return nil, apperr.ErrUnauthorized
	}
	return p, nil
}

// StartSession creates a session for a user and returns the cookie value.
func (s *Service) StartSession(ctx context.Context, userID int64, secondFactor bool) (cookie string, err error) {
	cookie, hash := NewSecret("s_")
	csrf, _ := NewSecret("c_")
	err = s.Store.CreateSession(ctx, s.Store.DB, store.Session{
		IDHash: hash, UserID: userID, CSRFToken: csrf,
		ExpiresAt: s.Now().Add(SessionTTL), SecondFactor: secondFactor,
	})
	return cookie, err
}

func (s *Service) loadUser(ctx context.Context, p *Principal, id int64) (store.User, error) {
	u, err := s.Store.User(ctx, s.Store.DB, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, apperr.ErrUnauthorized
	}
	if err != nil {
		return u, err
	}
	if u.DisabledAt != nil {
		return u, apperr.ErrUnauthorized
	}
	p.UserID, p.Name, p.Email, p.Role = u.ID, u.Name, u.Email, u.Role
	p.ProjectID, p.PartnerID, p.Language = u.ProjectID, u.PartnerID, u.Language
	if u.Role == RolePartner && u.PartnerID != nil {
		pt, err := s.Store.Partner(ctx, s.Store.DB, *u.PartnerID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
		p.PartnerProjectID = pt.ProjectID
	}
	if u.Role == RoleDoor || u.Role == RolePartner {
		grants, err := s.Store.UserEvents(ctx, s.Store.DB, u.ID)
		if err != nil {
			return u, err
		}
		p.Events = map[int64]store.EventGrant{}
		for _, g := range grants {
			p.Events[g.EventID] = g
		}
	}
	return u, nil
}

// Argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword compares a password with an encoded hash in constant time.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

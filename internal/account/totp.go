package account

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
)

// TOTPIssuer names the account in authenticator apps.
const TOTPIssuer = "DeCoDe Attend"

// totpPerSession bounds code guesses on one half-signed-in session.
var totpPerSession = ratelimit.Rule{Name: "totp-session", Limit: 5, Window: 10 * time.Minute}

var errCode = &apperr.Invalid{Fields: map[string]string{"code": "account.totp.error.code"}}

// TOTPSetup is a new secret to show while setting up the second factor.
type TOTPSetup struct {
	Secret string
	URL    string // otpauth:// URL
	QR     string // data: URL of a PNG QR code of URL
}

// NewTOTP creates a secret for the caller (not saved until confirmed by a code).
func (s *Service) NewTOTP(p *auth.Principal) (TOTPSetup, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: p.Email})
	if err != nil {
		return TOTPSetup{}, err
	}
	return setupFor(key)
}

// SetupFor rebuilds the setup view of a secret (after a wrong code).
func (s *Service) SetupFor(p *auth.Principal, secret string) (TOTPSetup, error) {
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + TOTPIssuer + ":" + p.Email,
		RawQuery: url.Values{"secret": {secret}, "issuer": {TOTPIssuer}}.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return TOTPSetup{}, err
	}
	return setupFor(key)
}

func setupFor(key *otp.Key) (TOTPSetup, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return TOTPSetup{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPSetup{}, err
	}
	return TOTPSetup{Secret: key.Secret(), URL: key.URL(),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// totpOpts: 30-second steps, six digits, one step of clock drift either way.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// codeStep returns the time step (Unix time / 30) a code belongs to, or 0
// when it matches none of the steps around now.
func codeStep(code, secret string, now time.Time) int64 {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 || secret == "" {
		return 0
	}
	for _, d := range []int64{0, -1, 1} {
		step := now.Unix()/30 + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step
		}
	}
	return 0
}

// EnableTOTP saves secret as the caller's second factor once code proves the
// authenticator has it. Only administrators use a second factor.
func (s *Service) EnableTOTP(ctx context.Context, p *auth.Principal, secret, code, ip string) error {
	if p == nil || p.UserID == 0 {
		return apperr.ErrUnauthorized
	}
	if p.Role != auth.RoleAdmin {
		return apperr.ErrForbidden
	}
	step := codeStep(code, secret, s.Now())
	if len(secret) < 16 || len(secret) > 64 || step == 0 {
		return errCode
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetTOTPSecret(ctx, tx, p.UserID, secret); err != nil {
			return err
		}
		// The code that proved the set-up is spent too.
		if _, err := s.Store.UseTOTPStep(ctx, tx, p.UserID, step); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ip, "auth.totp_enable", "user", p.UserID, nil)
	})
}

// DisableTOTP removes the caller's second factor; the password confirms it.
func (s *Service) DisableTOTP(ctx context.Context, p *auth.Principal, password, ip string) error {
	if p == nil || p.UserID == 0 {
		return apperr.ErrUnauthorized
	}
	u, err := s.Store.User(ctx, s.Store.DB, p.UserID)
	if err != nil {
		return err
	}
	if len(password) > MaxPassword || !auth.CheckPassword(u.PasswordHash, password) {
		return &apperr.Invalid{Fields: map[string]string{"password": "account.error.password_wrong"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetTOTPSecret(ctx, tx, p.UserID, ""); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ip, "auth.totp_disable", "user", p.UserID, nil)
	})
}

// VerifyTOTP completes a sign-in: with the right code the half-signed-in
// session is replaced by a full one (a new cookie, so the old value is worth
// nothing). Too many wrong codes end the session.
func (s *Service) VerifyTOTP(ctx context.Context, cookie, code, ip string) (string, error) {
	if cookie == "" || len(cookie) > 100 {
		return "", apperr.ErrUnauthorized
	}
	hash := auth.Hash(cookie)
	sess, err := s.Store.SessionByHash(ctx, s.Store.DB, hash)
	if errors.Is(err, store.ErrNotFound) {
		return "", apperr.ErrUnauthorized
	}
	if err != nil {
		return "", err
	}
	if err := s.Limiter.Allow(ctx, totpPerSession, string(hash)); err != nil {
		_ = s.Store.DeleteSession(ctx, s.Store.DB, hash)
		return "", err
	}
	u, err := s.Store.User(ctx, s.Store.DB, sess.UserID)
	if err != nil || u.DisabledAt != nil {
		return "", apperr.ErrUnauthorized
	}
	secret, err := s.Store.TOTPSecret(ctx, s.Store.DB, u.ID)
	if err != nil {
		return "", err
	}
	step := codeStep(code, secret, s.Now())
	fresh := step != 0
	if fresh {
		if fresh, err = s.Store.UseTOTPStep(ctx, s.Store.DB, u.ID, step); err != nil {
			return "", err
		}
	}
	if !fresh {
		_ = audit.Log(ctx, s.Store, s.Store.DB, audit.Entry{ActorLabel: "anonymous", Action: "auth.totp_failed",
			ObjectType: "user", ObjectID: u.ID, IP: ip})
		return "", errCode
	}
	cookie2, err := s.Auth.StartSession(ctx, u.ID, true)
	if err != nil {
		return "", err
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.DeleteSession(ctx, tx, hash); err != nil {
			return err
		}
		p := &auth.Principal{UserID: u.ID}
		return s.log(ctx, tx, p, ip, "auth.totp_verified", "user", u.ID, nil)
	})
	return cookie2, err
}

// PendingTOTP reports whether cookie is a session waiting for its code.
func (s *Service) PendingTOTP(ctx context.Context, cookie string) bool {
	if cookie == "" || len(cookie) > 100 {
		return false
	}
	sess, err := s.Store.SessionByHash(ctx, s.Store.DB, auth.Hash(cookie))
	if err != nil || sess.SecondFactor {
		return false
	}
	u, err := s.Store.User(ctx, s.Store.DB, sess.UserID)
	return err == nil && u.HasTOTP && u.DisabledAt == nil
}

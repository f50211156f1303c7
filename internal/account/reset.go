package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
)

// ResetTTL is how long a password reset link works.
const ResetTTL = time.Hour

// Reset requests are limited per address and per account, so the form can
// neither flood a mailbox nor probe many accounts.
var (
	ResetPerIP    = ratelimit.Rule{Name: "reset-ip", Limit: 10, Window: time.Hour}
	ResetPerEmail = ratelimit.Rule{Name: "reset-email", Limit: 3, Window: time.Hour}
)

// ResetPath is where a reset link points; the token travels in the query,
// which the access log never records.
const ResetPath = "/password/reset"

// RequestReset sends a reset link to the account's address if there is such a
// live account. The answer is the same either way (no account probing).
func (s *Service) RequestReset(ctx context.Context, email, ip string) error {
	email = strings.TrimSpace(email)
	if email == "" || len(email) > 254 || !strings.Contains(email, "@") {
		return &apperr.Invalid{Fields: map[string]string{"email": "account.error.email"}}
	}
	if err := s.Limiter.Allow(ctx, ResetPerIP, ip); err != nil {
		return err
	}
	if err := s.Limiter.Allow(ctx, ResetPerEmail, email); err != nil {
		return nil // silently: the owner already has recent links
	}
	u, err := s.Store.UserByEmail(ctx, s.Store.DB, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		return s.sendReset(ctx, tx, u, nil, ip)
	})
}

// sendReset spends older links, stores a new one and queues the e-mail.
func (s *Service) sendReset(ctx context.Context, tx *sqlx.Tx, u store.User, actor *auth.Principal, ip string) error {
	token, hash := auth.NewSecret("r_")
	if err := s.Store.ExpirePasswordResets(ctx, tx, u.ID); err != nil {
		return err
	}
	if err := s.Store.CreatePasswordReset(ctx, tx, hash, u.ID, s.Now().Add(ResetTTL)); err != nil {
		return err
	}
	l := s.I18n.Localizer(u.Language)
	link := s.BaseURL + ResetPath + "?token=" + token
	uid := u.ID
	_, err := s.Outbox.Enqueue(ctx, tx, outbox.Message{
		Kind: "password_reset", UserID: &uid, To: u.Email, Language: l.Lang,
		Subject: l.T("account.reset.mail.subject"),
		Text:    l.N("account.reset.mail.body", int(ResetTTL.Minutes()), "name", u.Name, "url", link),
	})
	if err != nil {
		return err
	}
	e := audit.Entry{Actor: actor, Action: "auth.reset_requested", ObjectType: "user", ObjectID: u.ID, IP: ip}
	if actor == nil {
		e.ActorLabel = "anonymous"
	}
	return audit.Log(ctx, s.Store, tx, e)
}

// ResetTokenValid reports whether a reset link still works (for the form).
func (s *Service) ResetTokenValid(ctx context.Context, token string) bool {
	if !strings.HasPrefix(token, "r_") || len(token) > 100 {
		return false
	}
	_, err := s.Store.PasswordResetUser(ctx, s.Store.DB, auth.Hash(token))
	return err == nil
}

// CheckNewPassword validates a new password.
func CheckNewPassword(password, confirm string) error {
	inv := &apperr.Invalid{}
	switch n := len([]rune(password)); {
	case n < MinPassword:
		inv.Add("password", "account.error.password_short")
	case len(password) > MaxPassword:
		inv.Add("password", "account.error.password_long")
	}
	if password != confirm {
		inv.Add("confirm", "account.error.password_mismatch")
	}
	return inv.Err()
}

// ResetPassword spends a reset token and sets the new password. Every session
// of the account ends: whoever knew the old password is out.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm, ip string) error {
	if err := CheckNewPassword(password, confirm); err != nil {
		return err
	}
	if !strings.HasPrefix(token, "r_") || len(token) > 100 {
		return &apperr.Invalid{Fields: map[string]string{"token": "account.reset.invalid"}}
	}
	hashed, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		id, err := s.Store.UsePasswordReset(ctx, tx, auth.Hash(token))
		if errors.Is(err, store.ErrNotFound) {
			return &apperr.Invalid{Fields: map[string]string{"token": "account.reset.invalid"}}
		}
		if err != nil {
			return err
		}
		if err := s.Store.SetUserPassword(ctx, tx, id, hashed); err != nil {
			return err
		}
		if err := s.Store.ExpirePasswordResets(ctx, tx, id); err != nil {
			return err
		}
		if err := s.Store.DeleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{ActorLabel: fmt.Sprintf("user:%d", id), Action: "auth.password_reset",
			ObjectType: "user", ObjectID: id, IP: ip})
	})
}

// ChangePassword sets a new password for the signed-in caller, who proves the
// old one. Other sessions end; the current one stays.
func (s *Service) ChangePassword(ctx context.Context, p *auth.Principal, current, password, confirm, ip, keepCookie string) error {
	if p == nil || p.UserID == 0 {
		return apperr.ErrUnauthorized
	}
	u, err := s.Store.User(ctx, s.Store.DB, p.UserID)
	if err != nil {
		return err
	}
	if len(current) > MaxPassword || !auth.CheckPassword(u.PasswordHash, current) {
		return &apperr.Invalid{Fields: map[string]string{"current": "account.error.password_wrong"}}
	}
	if err := CheckNewPassword(password, confirm); err != nil {
		return err
	}
	hashed, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetUserPassword(ctx, tx, u.ID, hashed); err != nil {
			return err
		}
		if err := s.Store.DeleteOtherSessions(ctx, tx, u.ID, auth.Hash(keepCookie)); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ip, "auth.password_change", "user", u.ID, nil)
	})
}

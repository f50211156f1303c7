package account

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
)

// UserInput is a user's editable profile and role.
type UserInput struct {
	Email     string
	Name      string
	Role      string
	ProjectID *int64
	PartnerID *int64
	Language  string
	Password  string // only on creation; empty: generate one
}

func (s *Service) validateUser(ctx context.Context, in *UserInput) error {
	inv := &apperr.Invalid{}
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		inv.Add("email", "account.error.email")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 || strings.ContainsAny(in.Name, "\r\n\x00") {
		inv.Add("name", "account.error.name")
	}
	if !slices.Contains(auth.Roles, in.Role) {
		inv.Add("role", "account.error.role")
	}
	if in.Language == "" {
		in.Language = i18n.FullLanguages[0]
	}
	if !slices.Contains(LanguagesFor(in.Role), in.Language) {
		inv.Add("language", "account.error.language")
	}
	if in.Role == auth.RolePartner {
		if in.PartnerID == nil {
			inv.Add("partner", "account.error.partner_required")
		}
	} else {
		in.PartnerID = nil
	}
	if in.PartnerID != nil {
		pt, err := s.Store.Partner(ctx, s.Store.DB, *in.PartnerID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			inv.Add("partner", "account.error.partner_required")
		case err != nil:
			return err
		default:
			in.ProjectID = &pt.ProjectID
		}
	}
	if in.ProjectID != nil {
		if _, err := s.Store.Project(ctx, s.Store.DB, *in.ProjectID); errors.Is(err, store.ErrNotFound) {
			inv.Add("project", "account.error.project")
		} else if err != nil {
			return err
		}
	}
	return inv.Err()
}

// CreateUser adds an account. Without a password one is generated and
// returned (shown once). actor nil is the command line.
func (s *Service) CreateUser(ctx context.Context, actor *auth.Principal, in UserInput, ip string) (store.User, string, error) {
	if err := s.validateUser(ctx, &in); err != nil {
		return store.User{}, "", err
	}
	password := in.Password
	generated := password == ""
	if generated {
		password = GeneratePassword()
	} else if err := CheckNewPassword(password, password); err != nil {
		return store.User{}, "", err
	}
	hashed, err := auth.HashPassword(password)
	if err != nil {
		return store.User{}, "", err
	}
	u := store.User{Email: in.Email, Name: in.Name, Role: in.Role, ProjectID: in.ProjectID, PartnerID: in.PartnerID,
		Language: in.Language, PasswordHash: hashed}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.CreateUser(ctx, tx, &u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"email": "account.error.email_taken"}}
			}
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.create", "user", u.ID, map[string]any{"role": u.Role})
	})
	if err != nil {
		return store.User{}, "", err
	}
	if !generated {
		password = ""
	}
	return u, password, nil
}

// UpdateUser saves a user's profile and role. Administrators cannot take away
// their own administration right, so the system always keeps an administrator.
func (s *Service) UpdateUser(ctx context.Context, actor *auth.Principal, id int64, in UserInput, ip string) error {
	if err := s.validateUser(ctx, &in); err != nil {
		return err
	}
	if actor != nil && actor.UserID == id && in.Role != auth.RoleAdmin && actor.Role == auth.RoleAdmin {
		return &apperr.Invalid{Fields: map[string]string{"role": "account.error.own_role"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.User(ctx, tx, id)
		if err != nil {
			return err
		}
		u := old
		u.Email, u.Name, u.Role, u.ProjectID, u.PartnerID, u.Language = in.Email, in.Name, in.Role, in.ProjectID, in.PartnerID, in.Language
		if err := s.Store.UpdateUser(ctx, tx, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"email": "account.error.email_taken"}}
			}
			return err
		}
		var changed []string
		if old.Email != u.Email {
			changed = append(changed, "email")
		}
		if old.Name != u.Name {
			changed = append(changed, "name")
		}
		if old.Role != u.Role {
			changed = append(changed, "role")
			// A new role starts with fresh sessions.
			if err := s.Store.DeleteUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		if !samePtr(old.ProjectID, u.ProjectID) {
			changed = append(changed, "project")
		}
		if !samePtr(old.PartnerID, u.PartnerID) {
			changed = append(changed, "partner")
		}
		if old.Language != u.Language {
			changed = append(changed, "language")
		}
		return s.log(ctx, tx, actor, ip, "user.update", "user", id, map[string]any{"fields": changed, "role": u.Role})
	})
}

func samePtr(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// SetDisabled disables an account (its sessions end and its tokens stop at
// once) or enables it again. Nobody disables their own account.
func (s *Service) SetDisabled(ctx context.Context, actor *auth.Principal, id int64, disabled bool, ip string) error {
	if actor != nil && actor.UserID == id {
		return &apperr.Invalid{Fields: map[string]string{"disabled": "account.error.own_account"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetUserDisabled(ctx, tx, id, disabled); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if err := s.Store.DeleteUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, actor, ip, action, "user", id, nil)
	})
}

// SendReset e-mails a user a password reset link on an administrator's request.
func (s *Service) SendReset(ctx context.Context, actor *auth.Principal, id int64, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		u, err := s.Store.User(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return &apperr.Invalid{Fields: map[string]string{"disabled": "account.error.disabled"}}
		}
		return s.sendReset(ctx, tx, u, actor, ip)
	})
}

// ResetTOTP removes a user's second factor (a lost phone); they sign in with
// the password alone and may set it up again.
func (s *Service) ResetTOTP(ctx context.Context, actor *auth.Principal, id int64, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetTOTPSecret(ctx, tx, id, ""); err != nil {
			return err
		}
		if err := s.Store.DeleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.totp_reset", "user", id, nil)
	})
}

// SetPassword sets a user's password from the command line.
func (s *Service) SetPassword(ctx context.Context, actor *auth.Principal, id int64, password, ip string) error {
	if err := CheckNewPassword(password, password); err != nil {
		return err
	}
	hashed, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetUserPassword(ctx, tx, id, hashed); err != nil {
			return err
		}
		if err := s.Store.DeleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.password_set", "user", id, nil)
	})
}

// Grant gives a door staff member or partner coordinator an event, optionally
// only between from and until.
func (s *Service) Grant(ctx context.Context, actor *auth.Principal, userID, eventID int64, from, until *time.Time, ip string) error {
	if from != nil && until != nil && !until.After(*from) {
		return &apperr.Invalid{Fields: map[string]string{"valid_until": "account.error.grant_order"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.Store.User(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := s.Store.Event(ctx, tx, eventID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return &apperr.Invalid{Fields: map[string]string{"event": "account.error.event"}}
			}
			return err
		}
		if err := s.Store.GrantEvent(ctx, tx, userID, eventID, from, until); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.grant_event", "user", userID, map[string]any{
			"event_id": eventID, "limited": from != nil || until != nil})
	})
}

// RevokeGrant takes an event away from a user.
func (s *Service) RevokeGrant(ctx context.Context, actor *auth.Principal, userID, eventID int64, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.RevokeEventGrant(ctx, tx, userID, eventID); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.revoke_event", "user", userID, map[string]any{"event_id": eventID})
	})
}

// ScopesFor lists the token scopes a role may hold: scan for door staff and
// above, report for coordinators and administrators, admin for administrators.
func ScopesFor(role string) []string {
	switch role {
	case auth.RoleAdmin:
		return []string{auth.ScopeScan, auth.ScopeReport, auth.ScopeAdmin}
	case auth.RoleCoordinator:
		return []string{auth.ScopeScan, auth.ScopeReport}
	case auth.RoleDoor:
		return []string{auth.ScopeScan}
	}
	return nil
}

// NewToken is a token just created: its plain value is shown once.
type NewToken struct {
	ID    int64
	Plain string
}

// CreateToken issues an API token for a user with scopes the user's role allows.
func (s *Service) CreateToken(ctx context.Context, actor *auth.Principal, userID int64, scopes []string, label, ip string) (NewToken, error) {
	label = strings.TrimSpace(label)
	inv := &apperr.Invalid{}
	if utf8.RuneCountInString(label) > 100 || strings.ContainsAny(label, "\r\n\x00") {
		inv.Add("label", "account.error.label")
	}
	u, err := s.Store.User(ctx, s.Store.DB, userID)
	if err != nil {
		return NewToken{}, err
	}
	if u.DisabledAt != nil {
		inv.Add("user", "account.error.disabled")
	}
	allowed := ScopesFor(u.Role)
	if len(scopes) == 0 {
		inv.Add("scopes", "account.error.scope")
	}
	var clean []string
	for _, sc := range scopes {
		if !slices.Contains(allowed, sc) {
			inv.Add("scopes", "account.error.scope")
		} else if !slices.Contains(clean, sc) {
			clean = append(clean, sc)
		}
	}
	if err := inv.Err(); err != nil {
		return NewToken{}, err
	}
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	t := store.APIToken{TokenHash: hash, Prefix: plain[:len(auth.TokenPrefix)+6], UserID: &u.ID, Scopes: clean, Label: label}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.CreateToken(ctx, tx, &t); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "token.create", "api_token", t.ID, map[string]any{"user_id": u.ID, "scopes": clean})
	})
	if err != nil {
		return NewToken{}, err
	}
	return NewToken{ID: t.ID, Plain: plain}, nil
}

// RevokeToken stops a token at once.
func (s *Service) RevokeToken(ctx context.Context, actor *auth.Principal, id int64, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.RevokeToken(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "token.revoke", "api_token", id, nil)
	})
}

// LanguagesFor lists the languages a user of role may choose for their
// screens: door staff and partner coordinators work in any of the ten (their
// screens are translated into all), the others in the languages whose staff
// screens are complete.
func LanguagesFor(role string) []string {
	if role == auth.RoleDoor || role == auth.RolePartner {
		return i18n.Languages
	}
	return i18n.FullLanguages
}

// SetLanguage saves the language of the signed-in user's own screens and
// e-mails (the account page's setting).
func (s *Service) SetLanguage(ctx context.Context, actor *auth.Principal, lang, ip string) error {
	if actor == nil || actor.UserID == 0 {
		return apperr.ErrForbidden
	}
	if !slices.Contains(LanguagesFor(actor.Role), lang) {
		return &apperr.Invalid{Fields: map[string]string{"language": "account.error.language"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		changed, err := s.Store.SetUserLanguage(ctx, tx, actor.UserID, lang)
		if err != nil || !changed {
			return err
		}
		return s.log(ctx, tx, actor, ip, "user.update", "user", actor.UserID, map[string]any{"fields": []string{"language"}, "role": actor.Role})
	})
}

package registration

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
)

// Private links are derived, not stored: token = base32(HMAC-SHA256(secret,
// "manage:<id>:<nonce>")) with the shared "manage-links" secret and a random
// per-registration nonce kept in manage_nonce. Any later message can
// therefore include the link, and replacing the nonce revokes every old link.

const manageSecret = "manage-links"

func newNonce() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}

func (s *Service) manageToken(ctx context.Context, q sqlx.ExtContext, r store.Registration) (string, error) {
	if len(r.ManageNonce) == 0 {
		return "", fmt.Errorf("registration %d has no private-link nonce", r.ID)
	}
	secret, err := s.Store.Secret(ctx, q, manageSecret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "manage:%d:%x", r.ID, r.ManageNonce)
	return toLowerB32(b32.EncodeToString(m.Sum(nil))), nil
}

// ManagePath is the private self-service path of r in lang (without host).
func (s *Service) ManagePath(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (string, error) {
	t, err := s.manageToken(ctx, q, r)
	if err != nil {
		return "", err
	}
	return "/" + lang + "/r/" + strconv.FormatInt(r.ID, 10) + "/" + t, nil
}

// ManageURL is the absolute private self-service link of r, in the person's
// language, for any message about the registration.
func (s *Service) ManageURL(ctx context.Context, q sqlx.ExtContext, r store.Registration) (string, error) {
	lang := r.Language
	if MatchLanguage(lang) != lang || lang == "" {
		lang = i18n.Fallback
	}
	p, err := s.ManagePath(ctx, q, r, lang)
	if err != nil {
		return "", err
	}
	return s.BaseURL + p, nil
}

// VerifyManage returns the registration a private link opens, or ErrNotFound
// for a wrong token, an unknown id or an anonymised registration.
func (s *Service) VerifyManage(ctx context.Context, id int64, token string) (store.Registration, error) {
	r, err := s.Store.Registration(ctx, s.Store.DB, id)
	if err != nil {
		return store.Registration{}, err
	}
	if r.AnonymisedAt != nil || len(r.ManageNonce) == 0 {
		return store.Registration{}, apperr.ErrNotFound
	}
	want, err := s.manageToken(ctx, s.Store.DB, r)
	if err != nil {
		return store.Registration{}, err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return store.Registration{}, fmt.Errorf("private link: %w", apperr.ErrNotFound)
	}
	return r, nil
}

// VerifyManageString parses the id of a link path before verifying it.
func (s *Service) VerifyManageString(ctx context.Context, id, token string) (store.Registration, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return store.Registration{}, apperr.ErrNotFound
	}
	r, err := s.VerifyManage(ctx, n, token)
	if errors.Is(err, store.ErrNotFound) {
		return r, apperr.ErrNotFound
	}
	return r, err
}

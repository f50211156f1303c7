// Package setup holds the administrators' and coordinators' changes to the
// programme as data: projects, partners, events and their days, and rule sets.
// Each change is validated, saved in one transaction and written to the audit
// log in the same transaction.
package setup

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
)

// Service runs the programme changes.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	// Promote moves people from an event's waiting list into free seats in the
	// caller's transaction (the registration use case); nil leaves the list as
	// it is. Raising a capacity calls it, so freed seats go to those waiting.
	Promote func(ctx context.Context, tx *sqlx.Tx, eventID int64) (int, error)
}

// promote fills seats freed by a change, when a promoter is wired.
func (s *Service) promote(ctx context.Context, tx *sqlx.Tx, eventID int64) error {
	if s.Promote == nil {
		return nil
	}
	_, err := s.Promote(ctx, tx, eventID)
	return err
}

// New returns the service; promote fills freed seats from the waiting list
// (the registration use case's PromoteTx), nil to leave the list alone.
func New(st *store.Store, now func() time.Time, promote func(ctx context.Context, tx *sqlx.Tx, eventID int64) (int, error)) *Service {
	return &Service{Store: st, Now: now, Promote: promote}
}

// Languages whose titles the forms edit. Texts in the site's other languages
// (i18n.Languages) come through the API; the forms leave them as they are.
var Languages = []string{"lv", "en", "ru"}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func (s *Service) log(ctx context.Context, q sqlx.ExtContext, actor *auth.Principal, ip, action, objType string, objID any, details map[string]any) error {
	e := audit.Entry{Actor: actor, Action: action, ObjectType: objType, ObjectID: objID, IP: ip, Details: details}
	if actor == nil {
		e.ActorLabel = "cli"
	}
	return audit.Log(ctx, s.Store, q, e)
}

// text trims s and records a problem when it is required and empty, too long,
// or (single line) holds line breaks.
func text(inv *apperr.Invalid, field, s string, max int, required bool) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
	switch {
	case s == "" && required:
		inv.Add(field, "admin.error.required")
	case utf8.RuneCountInString(s) > max:
		inv.Add(field, "admin.error.too_long")
	case max <= 300 && strings.ContainsAny(s, "\r\n"):
		inv.Add(field, "admin.error.one_line")
	}
	return s
}

// texts validates a text per language (field_lang names each problem): the
// languages the site speaks, any of them, English required when required is
// set. A language the input does not name keeps its old text, so the forms,
// which edit three languages, leave the others that the API set alone; an
// empty text removes the language.
func texts(inv *apperr.Invalid, field string, in map[string]string, old store.Texts, max int, required bool) store.Texts {
	out := store.Texts{}
	for lang, v := range old {
		if _, named := in[lang]; !named {
			out[lang] = v
		}
	}
	for lang, v := range in {
		if !slices.Contains(i18n.Languages, lang) {
			inv.Add(field+"_"+lang, "admin.error.language")
			continue
		}
		if t := text(inv, field+"_"+lang, v, max, false); t != "" {
			out[lang] = t
		}
	}
	if required && out["en"] == "" {
		inv.Add(field+"_en", "admin.error.required")
	}
	return out
}

// country checks an ISO 3166-1 alpha-2 code of a country (the list the
// registration form offers: no "EU", "ZZ" or withdrawn codes).
func country(inv *apperr.Invalid, field, s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !registration.ValidCountry(s) {
		inv.Add(field, "admin.error.country")
	}
	return s
}

// ParseDate reads a yyyy-mm-dd form value (empty: nil).
func ParseDate(inv *apperr.Invalid, field, s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		inv.Add(field, "admin.error.date")
		return nil
	}
	return &t
}

// conflict turns a unique violation into a field message that is also a
// conflict (409 on the API).
func conflict(err error, field, key string) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.Taken(field, key)
	}
	return err
}

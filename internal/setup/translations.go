package setup

import (
	"context"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

// TextsInput is the translation screen: field -> language -> text. A
// language a field does not name keeps its text; an empty text removes it.
type TextsInput map[string]map[string]string

// TextField is one row of the translation screen.
type TextField struct {
	Name      string // form field prefix: title, description, venue, address, measure, org_<id>
	Max       int    // characters
	Required  bool   // English required
	MultiLine bool
}

// EventTextFields are an event's texts per language.
var EventTextFields = []TextField{
	{Name: "title", Max: 300, Required: true},
	{Name: "description", Max: 5000, MultiLine: true},
	{Name: "venue", Max: 300},
	{Name: "address", Max: 300},
}

// ProjectTextFields are a project's own texts per language; its partners'
// organisation names follow as PartnerField.
var ProjectTextFields = []TextField{
	{Name: "title", Max: 300, Required: true},
	{Name: "measure", Max: 300},
}

// RuleSetField is the row of the name of the project's own rule set.
var RuleSetField = TextField{Name: "ruleset", Max: 200}

// OwnRuleSet is the project's rule set when it is the project's own
// editable copy (whose names the project's translation screen edits); nil
// for none or a preset.
func (s *Service) OwnRuleSet(ctx context.Context, q sqlx.QueryerContext, p store.Project) (*store.RuleSet, error) {
	if p.RuleSetID == nil {
		return nil, nil
	}
	rs, err := s.Store.RuleSet(ctx, q, *p.RuleSetID)
	if err != nil {
		return nil, err
	}
	if rs.ProjectID == nil || *rs.ProjectID != p.ID || !rs.Editable {
		return nil, nil
	}
	return &rs, nil
}

// PartnerField is the row of a partner's organisation name.
func PartnerField(p store.Partner) TextField {
	return TextField{Name: "org_" + strconv.FormatInt(p.ID, 10), Max: 300}
}

// checkTexts validates one field's texts: bytes no text may hold (NUL,
// invalid UTF-8, control characters) are refused, not cleaned, so that
// nothing different from what was typed is stored.
func checkTexts(inv *apperr.Invalid, f TextField, in map[string]string, old store.Texts) store.Texts {
	clean := map[string]string{}
	for lang, v := range in {
		if !plaintext.Valid(v, f.MultiLine) {
			inv.Add(f.Name+"_"+lang, "translations.error.text")
			continue
		}
		clean[lang] = v
	}
	return texts(inv, f.Name, clean, old, f.Max, f.Required)
}

// SaveEventTexts saves an event's title, description, venue and address in
// every language named, all or nothing, in one transaction with its audit
// entry.
func (s *Service) SaveEventTexts(ctx context.Context, actor *auth.Principal, id int64, in TextsInput, ip string) (store.Event, error) {
	var e store.Event
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.Event(ctx, tx, id)
		if err != nil {
			return err
		}
		e = old
		inv := &apperr.Invalid{}
		e.Title = checkTexts(inv, EventTextFields[0], in["title"], old.Title)
		e.Description = checkTexts(inv, EventTextFields[1], in["description"], old.Description)
		e.VenueTexts = checkTexts(inv, EventTextFields[2], in["venue"], old.VenueTexts)
		e.AddressTexts = checkTexts(inv, EventTextFields[3], in["address"], old.AddressTexts)
		if err := inv.Err(); err != nil {
			return err
		}
		if err := s.Store.UpdateEventTexts(ctx, tx, id, e.Title, e.Description, e.VenueTexts, e.AddressTexts); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "event.texts", "event", id, map[string]any{"slug": e.Slug})
	})
	return e, err
}

// SaveProjectTexts saves a project's title and measure and its partners'
// organisation names in every language named, all or nothing, in one
// transaction with its audit entry.
func (s *Service) SaveProjectTexts(ctx context.Context, actor *auth.Principal, id int64, in TextsInput, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		p, err := s.Store.Project(ctx, tx, id)
		if err != nil {
			return err
		}
		partners, err := s.Store.Partners(ctx, tx, id)
		if err != nil {
			return err
		}
		inv := &apperr.Invalid{}
		title := checkTexts(inv, ProjectTextFields[0], in["title"], p.Title)
		measure := checkTexts(inv, ProjectTextFields[1], in["measure"], p.Measure)
		orgs := make([]store.Texts, len(partners))
		for i, pt := range partners {
			f := PartnerField(pt)
			orgs[i] = checkTexts(inv, f, in[f.Name], pt.OrganisationTexts)
		}
		rs, err := s.OwnRuleSet(ctx, tx, p)
		if err != nil {
			return err
		}
		var rsNames store.Texts
		if rs != nil {
			rsNames = checkTexts(inv, RuleSetField, in[RuleSetField.Name], rs.Names)
		}
		if err := inv.Err(); err != nil {
			return err
		}
		if err := s.Store.UpdateProjectTexts(ctx, tx, id, title, measure); err != nil {
			return err
		}
		if rs != nil {
			if err := s.Store.UpdateRuleSetNames(ctx, tx, id, rs.ID, rsNames); err != nil {
				return err
			}
		}
		for i, pt := range partners {
			if err := s.Store.UpdatePartnerTexts(ctx, tx, id, pt.ID, orgs[i]); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, actor, ip, "project.texts", "project", id, map[string]any{"code": p.Code})
	})
}

// TranslationLanguages are the columns of the translation screen, in the
// order the network lists its languages.
var TranslationLanguages = []string{"en", "lv", "lt", "pl", "de", "ro", "it", "da", "es", "ru"}

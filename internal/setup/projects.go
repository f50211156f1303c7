package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// ProjectInput is the project form.
type ProjectInput struct {
	Code           string
	Title          map[string]string
	Measure        map[string]string
	Acronym        string
	Programme      string
	Strand         string
	GrantRef       string
	StartsOn       string
	EndsOn         string
	Budget         string
	RuleSetID      string
	RuleSetCode    string // the rule set by code (the API); RuleSetID wins when both are set
	BalancePaidOn  string
	RetentionYears string
}

// ProjectInputOf fills the form from a project.
func ProjectInputOf(p store.Project) ProjectInput {
	in := ProjectInput{Code: p.Code, Title: map[string]string{}, Measure: map[string]string{}, Acronym: p.Acronym,
		Programme: p.Programme, Strand: p.Strand, GrantRef: p.GrantRef, RetentionYears: strconv.Itoa(p.RetentionYears)}
	for k, v := range p.Title {
		in.Title[k] = v
	}
	for k, v := range p.Measure {
		in.Measure[k] = v
	}
	day := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
	if p.StartsOn != nil {
		in.StartsOn = day(p.StartsOn)
	}
	if p.EndsOn != nil {
		in.EndsOn = day(p.EndsOn)
	}
	if p.BalancePaidOn != nil {
		in.BalancePaidOn = day(p.BalancePaidOn)
	}
	if p.BudgetEUR != nil {
		in.Budget = strconv.FormatFloat(*p.BudgetEUR, 'f', 2, 64)
	}
	if p.RuleSetID != nil {
		in.RuleSetID = strconv.FormatInt(*p.RuleSetID, 10)
	}
	return in
}

func (s *Service) projectFrom(ctx context.Context, in ProjectInput, p *store.Project) error {
	inv := &apperr.Invalid{}
	p.Code = strings.ToLower(strings.TrimSpace(in.Code))
	if !slugRe.MatchString(p.Code) {
		inv.Add("code", "admin.error.slug")
	}
	p.Title = texts(inv, "title", in.Title, p.Title, 300, true)
	p.Measure = texts(inv, "measure", in.Measure, p.Measure, 200, false)
	p.Acronym = text(inv, "acronym", in.Acronym, 50, false)
	p.Programme = text(inv, "programme", in.Programme, 200, false)
	p.Strand = text(inv, "strand", in.Strand, 200, false)
	p.GrantRef = text(inv, "grant_ref", in.GrantRef, 100, false)
	p.StartsOn = ParseDate(inv, "starts_on", in.StartsOn)
	p.EndsOn = ParseDate(inv, "ends_on", in.EndsOn)
	if p.StartsOn != nil && p.EndsOn != nil && p.EndsOn.Before(*p.StartsOn) {
		inv.Add("ends_on", "admin.error.date_order")
	}
	p.BalancePaidOn = ParseDate(inv, "balance_paid_on", in.BalancePaidOn)
	p.BudgetEUR = nil
	if b := strings.TrimSpace(in.Budget); b != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(b, ",", "."), 64)
		if err != nil || v < 0 || v > 1e10 {
			inv.Add("budget", "admin.error.number")
		} else {
			p.BudgetEUR = &v
		}
	}
	p.RuleSetID = nil
	if r := strings.TrimSpace(in.RuleSetID); r != "" {
		id, err := strconv.ParseInt(r, 10, 64)
		if err == nil {
			var rs store.RuleSet
			if rs, err = s.Store.RuleSet(ctx, s.Store.DB, id); err == nil && !ruleSetFits(rs, p.ID) {
				err = apperr.ErrNotFound
			}
		}
		if err != nil {
			inv.Add("rule_set", "admin.error.rule_set")
		} else {
			p.RuleSetID = &id
		}
	} else if code := strings.TrimSpace(in.RuleSetCode); code != "" {
		if rs, err := s.Store.RuleSetByCode(ctx, s.Store.DB, code); err != nil || !ruleSetFits(rs, p.ID) {
			inv.Add("rule_set", "admin.error.rule_set")
		} else {
			p.RuleSetID = &rs.ID
		}
	}
	y, err := strconv.Atoi(strings.TrimSpace(in.RetentionYears))
	if err != nil || y < 1 || y > 30 {
		inv.Add("retention_years", "admin.error.retention")
	}
	p.RetentionYears = y
	return inv.Err()
}

// CreateProject adds a project.
func (s *Service) CreateProject(ctx context.Context, actor *auth.Principal, in ProjectInput, ip string) (store.Project, error) {
	var p store.Project
	if err := s.projectFrom(ctx, in, &p); err != nil {
		return p, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.CreateProject(ctx, tx, &p); err != nil {
			return conflict(err, "code", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "project.create", "project", p.ID, map[string]any{"code": p.Code})
	})
	return p, err
}

// UpdateProject saves a project.
func (s *Service) UpdateProject(ctx context.Context, actor *auth.Principal, id int64, in ProjectInput, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		p, err := s.Store.Project(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.projectFrom(ctx, in, &p); err != nil {
			return err
		}
		if err := s.Store.UpdateProject(ctx, tx, p); err != nil {
			return conflict(err, "code", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "project.update", "project", id, map[string]any{"code": p.Code})
	})
}

// PartnerInput is the partner form.
type PartnerInput struct {
	Slug         string
	Organisation string
	City         string
	Country      string
	Position     string
	// CityTexts are the town's names by language and "<lang>-gen" (see
	// store.Partner.CityTexts); a key not named keeps its old name, an empty
	// name removes it. The partner form and the API edit them.
	CityTexts map[string]string
	// OrganisationTexts are the organisation's name by language, merged the
	// same way (the API; the project's translation screen saves them itself).
	OrganisationTexts map[string]string
}

// PartnerInputOf fills the form from a partner.
func PartnerInputOf(p store.Partner) PartnerInput {
	return PartnerInput{Slug: p.Slug, Organisation: p.Organisation, City: p.City, Country: p.Country,
		Position: strconv.Itoa(p.Position)}
}

func partnerFrom(in PartnerInput, p *store.Partner) error {
	inv := &apperr.Invalid{}
	p.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if !slugRe.MatchString(p.Slug) {
		inv.Add("slug", "admin.error.slug")
	}
	p.Organisation = text(inv, "organisation", in.Organisation, 300, true)
	p.City = text(inv, "city", in.City, 100, true)
	p.CityTexts = cityTexts(inv, in.CityTexts, p.CityTexts)
	p.OrganisationTexts = texts(inv, "organisation_texts", in.OrganisationTexts, p.OrganisationTexts, 300, false)
	p.Country = country(inv, "country", in.Country)
	p.Position = 0
	if v := strings.TrimSpace(in.Position); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			inv.Add("position", "admin.error.number")
		}
		p.Position = n
	}
	return inv.Err()
}

// cityTexts validates a town's names: a site language, or a site language
// with "-gen" for its genitive.
func cityTexts(inv *apperr.Invalid, in map[string]string, old store.Texts) store.Texts {
	out := store.Texts{}
	for k, v := range old {
		if _, named := in[k]; !named {
			out[k] = v
		}
	}
	for k, v := range in {
		if !slices.Contains(i18n.Languages, strings.TrimSuffix(k, "-gen")) {
			inv.Add("city_texts", "admin.error.language")
			continue
		}
		if t := text(inv, "city_texts", v, 100, false); t != "" {
			out[k] = t
		}
	}
	return out
}

// CreatePartner adds a partner to a project.
func (s *Service) CreatePartner(ctx context.Context, actor *auth.Principal, projectID int64, in PartnerInput, ip string) (store.Partner, error) {
	p := store.Partner{ProjectID: projectID}
	if err := partnerFrom(in, &p); err != nil {
		return p, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.CreatePartner(ctx, tx, &p); err != nil {
			return conflict(err, "slug", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "partner.create", "partner", p.ID, map[string]any{"project_id": projectID})
	})
	return p, err
}

// UpdatePartner saves a partner.
func (s *Service) UpdatePartner(ctx context.Context, actor *auth.Principal, id int64, in PartnerInput, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		p, err := s.Store.Partner(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := partnerFrom(in, &p); err != nil {
			return err
		}
		if err := s.Store.UpdatePartner(ctx, tx, p); err != nil {
			return conflict(err, "slug", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "partner.update", "partner", id, nil)
	})
}

// ValidateRules checks a rules document: an array of known rules, each with a
// non-negative min or max. It returns the document re-encoded canonically.
func ValidateRules(doc string) (store.JSON, error) {
	inv := &apperr.Invalid{}
	var defs []report.RuleDef
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if len(doc) > 20000 || dec.Decode(&defs) != nil || dec.More() {
		inv.Add("rules", "admin.error.rules_json")
		return nil, inv
	}
	seen := map[string]bool{}
	for i, d := range defs {
		field := "rules"
		if _, ok := report.KnownRules[d.Rule]; !ok {
			inv.Add(field, "admin.error.rules_unknown")
			continue
		}
		if (d.Min == nil) == (d.Max == nil) || (d.Min != nil && *d.Min < 0) || (d.Max != nil && *d.Max < 0) {
			inv.Add(field, "admin.error.rules_bound")
		}
		if strings.Contains(d.Rule, "share") && d.Min != nil && *d.Min > 1 {
			inv.Add(field, "admin.error.rules_share")
		}
		key := fmt.Sprintf("%s/%v", d.Rule, d.Min == nil)
		if seen[key] {
			inv.Add(field, "admin.error.rules_duplicate")
		}
		seen[key] = true
		_ = i
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}
	if defs == nil {
		defs = []report.RuleDef{}
	}
	b, err := json.Marshal(defs)
	return store.JSON(b), err
}

// ParseCountries reads ISO codes separated by spaces, commas or new lines,
// sorted and without duplicates.
func ParseCountries(s string) ([]string, error) {
	inv := &apperr.Invalid{}
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		c := country(inv, "countries", f)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		inv.Add("countries", "admin.error.countries")
	}
	slices.Sort(out)
	return out, inv.Err()
}

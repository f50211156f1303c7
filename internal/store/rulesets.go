package store

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// RuleSet is a funder's rules and eligible countries, as data. A preset
// (ProjectID nil) is shared by every project; a copy belongs to one project.
type RuleSet struct {
	ID                int64          `db:"id"`
	Code              string         `db:"code"`
	Name              string         `db:"name"`  // the fallback name (English)
	Names             Texts          `db:"names"` // language -> name
	ProjectID         *int64         `db:"project_id"`
	Note              string         `db:"note"`
	Rules             JSON           `db:"rules"`
	EligibleCountries pq.StringArray `db:"eligible_countries"`
	LumpSum           JSON           `db:"lump_sum"` // null: no table entered
	Editable          bool           `db:"editable"`
}

// NameIn is the rule set's name in lang, else its fallback name.
func (r RuleSet) NameIn(lang string) string {
	if s := r.Names.In(lang); s != "" {
		return s
	}
	return r.Name
}

// HasLumpSum reports whether an administrator entered a lump-sum table.
func (r RuleSet) HasLumpSum() bool {
	return len(r.LumpSum) > 0 && string(r.LumpSum) != "null"
}

const ruleSetColumns = `id, code, name, names, project_id, note, rules, eligible_countries, lump_sum, editable`

const insertRuleSet = `
INSERT INTO rule_sets (code, name, names, project_id, note, rules, eligible_countries, lump_sum, editable)
VALUES (:code, :name, :names, :project_id, :note, :rules, :eligible_countries, :lump_sum, :editable)
RETURNING id`

// CreateRuleSet inserts a rule set and sets its ID; a taken code is ErrConflict.
func (s *Store) CreateRuleSet(ctx context.Context, q sqlx.ExtContext, r *RuleSet) error {
	if r.EligibleCountries == nil {
		r.EligibleCountries = pq.StringArray{}
	}
	if len(r.Rules) == 0 {
		r.Rules = JSON("[]")
	}
	if r.Names == nil {
		r.Names = Texts{}
	}
	return namedGet(ctx, q, &r.ID, insertRuleSet, r)
}

const selectRuleSet = `SELECT ` + ruleSetColumns + ` FROM rule_sets WHERE id = $1`

// RuleSet finds a rule set by id.
func (s *Store) RuleSet(ctx context.Context, q sqlx.QueryerContext, id int64) (RuleSet, error) {
	var r RuleSet
	err := sqlx.GetContext(ctx, q, &r, selectRuleSet, id)
	return r, wrap("rule set", err)
}

const selectRuleSetByCode = `SELECT ` + ruleSetColumns + ` FROM rule_sets WHERE code = $1`

// RuleSetByCode finds a rule set.
func (s *Store) RuleSetByCode(ctx context.Context, q sqlx.QueryerContext, code string) (RuleSet, error) {
	var r RuleSet
	err := sqlx.GetContext(ctx, q, &r, selectRuleSetByCode, code)
	return r, wrap("rule set by code", err)
}

const selectRuleSets = `SELECT ` + ruleSetColumns + ` FROM rule_sets ORDER BY id`

// RuleSets lists all rule sets.
func (s *Store) RuleSets(ctx context.Context, q sqlx.QueryerContext) ([]RuleSet, error) {
	var rs []RuleSet
	err := sqlx.SelectContext(ctx, q, &rs, selectRuleSets)
	return rs, wrap("rule sets", err)
}

const selectRuleSetsVisible = `SELECT ` + ruleSetColumns + ` FROM rule_sets
WHERE $1 = 0 OR project_id IS NULL OR project_id = $1 ORDER BY project_id NULLS FIRST, id`

// RuleSetsVisible lists the presets and the rule sets of project scope (0:
// every project's), for a list filtered in SQL by auth.Principal.ProjectScope.
func (s *Store) RuleSetsVisible(ctx context.Context, q sqlx.QueryerContext, scope int64) ([]RuleSet, error) {
	var rs []RuleSet
	err := sqlx.SelectContext(ctx, q, &rs, selectRuleSetsVisible, scope)
	return rs, wrap("rule sets visible", err)
}

const updateRuleSet = `
UPDATE rule_sets SET name = :name, names = :names, note = :note, rules = :rules,
	eligible_countries = :eligible_countries, lump_sum = :lump_sum, updated_at = now()
WHERE id = :id AND editable`

// UpdateRuleSet saves an editable rule set (its code and project stay);
// shipped (read-only) sets give ErrNotFound.
func (s *Store) UpdateRuleSet(ctx context.Context, q sqlx.ExtContext, r RuleSet) error {
	if r.EligibleCountries == nil {
		r.EligibleCountries = pq.StringArray{}
	}
	if r.Names == nil {
		r.Names = Texts{}
	}
	res, err := sqlx.NamedExecContext(ctx, q, updateRuleSet, r)
	if err != nil {
		return wrap("update rule set", err)
	}
	return mustAffect(res, "update rule set")
}

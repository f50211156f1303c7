package setup

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// Threshold is one threshold field of the rule set editor and the API, and
// the stored rule it becomes (rule_sets.rules keeps its shape, so reports
// made before rule sets were edited this way read the same).
type Threshold struct {
	Key   string // "event.min_participants": the form field and the API's path
	Rule  string
	Max   bool // an upper bound (days), else a lower one
	Share bool // a share between 0 and 1
}

// Thresholds are the editor's fields, per event and then per project.
var Thresholds = []Threshold{
	{Key: "event.min_participants", Rule: report.RuleMinParticipantsPerEvent},
	{Key: "event.min_invited", Rule: report.RuleMinInvitedPerEvent},
	{Key: "event.min_invited_share", Rule: report.RuleInvitedSharePerEvent, Share: true},
	{Key: "event.max_days", Rule: report.RuleMaxEventDays, Max: true},
	{Key: "event.min_countries", Rule: report.RuleMinCountriesPerEvent},
	{Key: "project.min_events", Rule: report.RuleMinEvents},
	{Key: "project.min_participants", Rule: report.RuleMinParticipantsProject},
	{Key: "project.min_invited", Rule: report.RuleMinInvitedProject},
	{Key: "project.min_invited_share", Rule: report.RuleInvitedShareProject, Share: true},
	{Key: "project.min_countries", Rule: report.RuleMinCountriesProject},
}

// RuleSetInput is a rule set as the editor and the API give it. Thresholds
// maps a Threshold key to its value as text ("" or absent: no such rule).
type RuleSetInput struct {
	Code       string
	ProjectID  *int64 // the project that owns the set; nil: a shared preset
	Names      map[string]string
	Note       string
	Thresholds map[string]string
	Countries  string
	// The lump-sum table: LumpSum wins when set (the API); else LumpText in
	// the editor's line form with LumpBasis; both empty: no table.
	LumpSum   *report.LumpSum
	LumpBasis string
	LumpText  string
}

// RuleSetInputOf fills the editor from a rule set.
func RuleSetInputOf(rs store.RuleSet) RuleSetInput {
	in := RuleSetInput{Code: rs.Code, ProjectID: rs.ProjectID, Names: map[string]string{}, Note: rs.Note,
		Thresholds: ThresholdsOf(rs), Countries: strings.Join(rs.EligibleCountries, " "), LumpBasis: report.BasisEligible}
	for k, v := range rs.Names {
		in.Names[k] = v
	}
	if in.Names["en"] == "" {
		in.Names["en"] = rs.Name
	}
	if t := report.ParseLumpSum(rs.LumpSum); t != nil {
		in.LumpBasis, in.LumpText = t.Basis, report.FormatLumpSum(t)
	}
	return in
}

// ThresholdsOf reads a rule set's rules as threshold values.
func ThresholdsOf(rs store.RuleSet) map[string]string {
	out := map[string]string{}
	for _, d := range report.ParseRules(rs.Rules) {
		for _, th := range Thresholds {
			if th.Rule != d.Rule {
				continue
			}
			if v := d.Min; v != nil && !th.Max {
				out[th.Key] = strconv.FormatFloat(*v, 'f', -1, 64)
			}
			if v := d.Max; v != nil && th.Max {
				out[th.Key] = strconv.FormatFloat(*v, 'f', -1, 64)
			}
		}
	}
	return out
}

// ruleSetFrom validates the input into rs (code and project stay as they are).
func ruleSetFrom(in RuleSetInput, rs *store.RuleSet) error {
	inv := &apperr.Invalid{}
	rs.Names = texts(inv, "name", in.Names, rs.Names, 200, true)
	rs.Name = rs.Names.In("en")
	rs.Note = text(inv, "note", in.Note, 2000, false)
	known := map[string]bool{}
	var rules []report.RuleDef
	for _, th := range Thresholds {
		known[th.Key] = true
		v := strings.TrimSpace(in.Thresholds[th.Key])
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		switch {
		case err != nil || !(f >= 0 && f <= 1e6):
			inv.Add(th.Key, "admin.error.number")
			continue
		case th.Share && f > 1:
			inv.Add(th.Key, "admin.error.rules_share")
			continue
		}
		d := report.RuleDef{Rule: th.Rule}
		if th.Max {
			d.Max = &f
		} else {
			d.Min = &f
		}
		rules = append(rules, d)
	}
	for k := range in.Thresholds {
		if !known[k] {
			inv.Add(k, "admin.error.rules_unknown")
		}
	}
	if rules == nil {
		rules = []report.RuleDef{}
	}
	b, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	rs.Rules = b
	countries, err := ParseCountries(in.Countries)
	if e, ok := apperr.AsInvalid(err); ok {
		for f, k := range e.Fields {
			inv.Add(f, k)
		}
	}
	rs.EligibleCountries = pq.StringArray(countries)
	rs.LumpSum = nil
	table := in.LumpSum
	if table == nil && strings.TrimSpace(in.LumpText) != "" {
		var key string
		if table, key = report.ParseLumpSumText(in.LumpBasis, in.LumpText); key != "" {
			inv.Add("lump_sum", key)
		}
	}
	if table != nil {
		if key := table.Validate(); key != "" {
			inv.Add("lump_sum", key)
		} else if rs.LumpSum, err = json.Marshal(table); err != nil {
			return err
		}
	}
	return inv.Err()
}

// CreateRuleSet adds a rule set, of a project or (ProjectID nil) shared.
func (s *Service) CreateRuleSet(ctx context.Context, actor *auth.Principal, in RuleSetInput, ip string) (store.RuleSet, error) {
	rs := store.RuleSet{Code: strings.ToLower(strings.TrimSpace(in.Code)), ProjectID: in.ProjectID, Editable: true}
	inv := &apperr.Invalid{}
	if !slugRe.MatchString(rs.Code) {
		inv.Add("code", "admin.error.slug")
	}
	if err := ruleSetFrom(in, &rs); err != nil {
		e, ok := apperr.AsInvalid(err)
		if !ok {
			return rs, err
		}
		for f, k := range e.Fields {
			inv.Add(f, k)
		}
	}
	if err := inv.Err(); err != nil {
		return rs, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if rs.ProjectID != nil {
			if _, err := s.Store.Project(ctx, tx, *rs.ProjectID); err != nil {
				return &apperr.Invalid{Fields: map[string]string{"project": "rulesets.error.project"}}
			}
		}
		if err := s.Store.CreateRuleSet(ctx, tx, &rs); err != nil {
			return conflict(err, "code", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "ruleset.create", "rule_set", rs.ID, map[string]any{"code": rs.Code})
	})
	return rs, err
}

// CopyRuleSet starts a new editable rule set from another (a preset): the
// same rules, countries, note and table under a new code, for a project.
func (s *Service) CopyRuleSet(ctx context.Context, actor *auth.Principal, from store.RuleSet, code string, projectID *int64, ip string) (store.RuleSet, error) {
	in := RuleSetInputOf(from)
	in.Code, in.ProjectID = code, projectID
	return s.CreateRuleSet(ctx, actor, in, ip)
}

// UpdateRuleSet saves an editable rule set; the shipped ones are read-only
// (ErrForbidden).
func (s *Service) UpdateRuleSet(ctx context.Context, actor *auth.Principal, id int64, in RuleSetInput, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		rs, err := s.Store.RuleSet(ctx, tx, id)
		if err != nil {
			return err
		}
		if !rs.Editable {
			return apperr.ErrForbidden
		}
		if err := ruleSetFrom(in, &rs); err != nil {
			return err
		}
		if err := s.Store.UpdateRuleSet(ctx, tx, rs); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "ruleset.update", "rule_set", id, map[string]any{"countries": len(rs.EligibleCountries)})
	})
}

// ruleSetFits reports whether a project may choose rs: a shared preset, or a
// set of its own (never another project's copy).
func ruleSetFits(rs store.RuleSet, projectID int64) bool {
	return rs.ProjectID == nil || *rs.ProjectID == projectID
}

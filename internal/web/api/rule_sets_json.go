package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// The rule sets' JSON shapes (85-rule-sets.json).

// RuleSetJSON is a rule set as the API answers it. Thresholds holds every
// threshold, null where the set has no such rule.
type RuleSetJSON struct {
	Code              string                         `json:"code"`
	Project           *string                        `json:"project"`
	Name              store.Texts                    `json:"name"`
	Note              string                         `json:"note"`
	Editable          bool                           `json:"editable"`
	Thresholds        map[string]map[string]*float64 `json:"thresholds"`
	EligibleCountries []string                       `json:"eligible_countries"`
	LumpSum           *report.LumpSum                `json:"lump_sum"`
}

// ruleSetBody is a POST or PATCH body; absent fields stay as they are.
type ruleSetBody struct {
	Code              string                                  `json:"code"`
	Project           optional[string]                        `json:"project"`
	CopyOf            string                                  `json:"copy_of"`
	Name              map[string]string                       `json:"name"`
	Note              optional[string]                        `json:"note"`
	Thresholds        map[string]map[string]optional[float64] `json:"thresholds"`
	EligibleCountries optional[[]string]                      `json:"eligible_countries"`
	LumpSum           optional[*report.LumpSum]               `json:"lump_sum"`
}

// thresholdGroups are the API's names of setup's threshold key prefixes.
var thresholdGroups = map[string]string{"per_event": "event", "per_project": "project"}

func (b ruleSetBody) apply(in *setup.RuleSetInput) {
	if in.Names == nil {
		in.Names = map[string]string{}
	}
	mergeTexts(in.Names, b.Name)
	b.Note.str(&in.Note, asIs)
	if in.Thresholds == nil {
		in.Thresholds = map[string]string{}
	}
	for group, vs := range b.Thresholds {
		prefix, ok := thresholdGroups[group]
		if !ok {
			prefix = group // refused by setup as an unknown threshold
		}
		for k, v := range vs {
			s := in.Thresholds[prefix+"."+k]
			v.str(&s, floatText)
			in.Thresholds[prefix+"."+k] = s
		}
	}
	b.EligibleCountries.str(&in.Countries, func(cs []string) string { return strings.Join(cs, " ") })
	if b.LumpSum.Set {
		in.LumpSum, in.LumpText = nil, ""
		if !b.LumpSum.Null && b.LumpSum.V != nil {
			in.LumpSum = b.LumpSum.V
		}
	}
}

// ruleSetFields renames setup's field names to the API's.
func ruleSetFields(err error) error {
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		return err
	}
	out := &apperr.Invalid{Conflict: inv.Conflict}
	for f, key := range inv.Fields {
		name := f
		if lang, ok := strings.CutPrefix(f, "name_"); ok {
			name = "name." + lang
		}
		for api, prefix := range thresholdGroups {
			if k, ok := strings.CutPrefix(f, prefix+"."); ok {
				name = "thresholds." + api + "." + k
			}
		}
		if f == "countries" {
			name = "eligible_countries"
		}
		out.Add(name, key)
	}
	return out
}

func (h *ProgrammeAPI) ruleSetJSON(ctx context.Context, rs store.RuleSet) (RuleSetJSON, error) {
	out := RuleSetJSON{Code: rs.Code, Name: textsOrEmpty(rs.Names), Note: rs.Note, Editable: rs.Editable,
		EligibleCountries: append([]string{}, rs.EligibleCountries...), LumpSum: report.ParseLumpSum(rs.LumpSum),
		Thresholds: map[string]map[string]*float64{"per_event": {}, "per_project": {}}}
	if len(out.Name) == 0 {
		out.Name = store.Texts{"en": rs.Name}
	}
	set := setup.ThresholdsOf(rs)
	for api, prefix := range thresholdGroups {
		for _, th := range setup.Thresholds {
			k, ok := strings.CutPrefix(th.Key, prefix+".")
			if !ok {
				continue
			}
			var v *float64
			if s, has := set[th.Key]; has {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					v = &f
				}
			}
			out.Thresholds[api][k] = v
		}
	}
	if rs.ProjectID != nil {
		p, err := h.Store.Project(ctx, h.Store.DB, *rs.ProjectID)
		if err != nil {
			return out, err
		}
		out.Project = &p.Code
	}
	return out, nil
}

package report

import (
	"encoding/json"
	"strings"

	"github.com/decode-attend/attend/internal/store"
)

// RuleDef is one rule of a rule set as stored: {"rule": "...", "min": n} or
// {"rule": "...", "max": n}.
type RuleDef struct {
	Rule string   `json:"rule"`
	Min  *float64 `json:"min,omitempty"`
	Max  *float64 `json:"max,omitempty"`
}

// Rules the report knows. Per-event rules are met over a project when every
// event meets them.
const (
	RuleMinEvents                = "min_events"                 // events held (with eligible participants)
	RuleInvitedSharePerEvent     = "invited_share_per_event"    // invited / attended, each event
	RuleInvitedShareProject      = "invited_share_project"      // invited / attended over all events
	RuleMaxEventDays             = "max_event_days"             // calendar days of an event
	RuleMinParticipantsPerEvent  = "min_participants_per_event" // eligible direct participants
	RuleMinInvitedPerEvent       = "min_invited_per_event"      // invited participants
	RuleMinCountriesPerEvent     = "min_countries_per_event"    // countries of eligible participants
	RuleMinParticipantsProject   = "min_participants_project"   // eligible direct participants, all events
	RuleMinCountriesProject      = "min_countries_project"      // distinct countries over all events
	RuleMinInvitedProject        = "min_invited_project"        // invited participants, all events
	ruleScopeEvent, ruleScopeAll = "event", "project"
)

// KnownRules lists every rule name with its scope, for the rule set editor.
var KnownRules = map[string]string{
	RuleMinEvents: ruleScopeAll, RuleInvitedShareProject: ruleScopeAll, RuleMinParticipantsProject: ruleScopeAll,
	RuleMinCountriesProject: ruleScopeAll, RuleMinInvitedProject: ruleScopeAll, RuleInvitedSharePerEvent: ruleScopeEvent, RuleMaxEventDays: ruleScopeEvent,
	RuleMinParticipantsPerEvent: ruleScopeEvent, RuleMinInvitedPerEvent: ruleScopeEvent,
	RuleMinCountriesPerEvent: ruleScopeEvent,
}

// RuleResult is one rule's verdict with the numbers behind it.
type RuleResult struct {
	Rule  string   `json:"rule"`
	Scope string   `json:"scope"` // event | project
	Met   bool     `json:"met"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
	// Actual is the measured value (a share for share rules).
	Actual float64 `json:"actual"`
	// Numerator and Denominator are set for shares (invited / attended).
	Numerator   *int `json:"numerator,omitempty"`
	Denominator *int `json:"denominator,omitempty"`
	// Events holds each event's verdict of a per-event rule in a project report.
	Events []EventVerdict `json:"events,omitempty"`
	// Unknown is set for a rule name this version does not know; it is never met.
	Unknown bool `json:"unknown,omitempty"`
}

// EventVerdict is one event's verdict of a per-event rule.
type EventVerdict struct {
	Slug        string  `json:"slug"`
	Number      int     `json:"number"`
	Status      string  `json:"status"` // past | ongoing | upcoming: an upcoming event cannot meet it yet
	Met         bool    `json:"met"`
	Actual      float64 `json:"actual"`
	Numerator   *int    `json:"numerator,omitempty"`
	Denominator *int    `json:"denominator,omitempty"`
}

// ParseRules reads a rule set's rules; a malformed document gives no rules
// (the rule set editor validates on save).
func ParseRules(j store.JSON) []RuleDef {
	var rs []RuleDef
	if len(j) == 0 {
		return nil
	}
	if err := json.Unmarshal(j, &rs); err != nil {
		return nil
	}
	for i := range rs {
		rs[i].Rule = strings.TrimSpace(rs[i].Rule)
	}
	return rs
}

func (d RuleDef) check(v float64) bool {
	ok := true
	if d.Min != nil && v < *d.Min-1e-9 {
		ok = false
	}
	if d.Max != nil && v > *d.Max+1e-9 {
		ok = false
	}
	return ok
}

func ptr(n int) *int { return &n }

// eventValue measures a per-event rule on one event's counts.
func eventValue(rule string, days int, c Counts) (v float64, num, den *int, ok bool) {
	switch rule {
	case RuleInvitedSharePerEvent:
		return c.InvitedShare, ptr(c.Invited), ptr(c.Attended), true
	case RuleMaxEventDays:
		return float64(days), nil, nil, true
	case RuleMinParticipantsPerEvent:
		return float64(c.Attended), nil, nil, true
	case RuleMinInvitedPerEvent:
		return float64(c.Invited), nil, nil, true
	case RuleMinCountriesPerEvent:
		return float64(c.Countries), nil, nil, true
	}
	return 0, nil, nil, false
}

// EvaluateEvent checks the per-event rules on one event; project-wide rules
// are left to the project report.
func EvaluateEvent(rules []RuleDef, e store.Event, c Counts) []RuleResult {
	out := []RuleResult{}
	for _, d := range rules {
		if KnownRules[d.Rule] == ruleScopeAll {
			continue
		}
		r := RuleResult{Rule: d.Rule, Scope: ruleScopeEvent, Min: d.Min, Max: d.Max}
		v, num, den, ok := eventValue(d.Rule, len(e.Days()), c)
		if !ok {
			r.Unknown = true
			out = append(out, r)
			continue
		}
		r.Actual, r.Numerator, r.Denominator, r.Met = v, num, den, d.check(v)
		out = append(out, r)
	}
	return out
}

// EvaluateProject checks every rule over a project report's events.
func EvaluateProject(rules []RuleDef, p ProjectReport) []RuleResult {
	out := []RuleResult{}
	for _, d := range rules {
		r := RuleResult{Rule: d.Rule, Scope: KnownRules[d.Rule], Min: d.Min, Max: d.Max}
		switch d.Rule {
		case RuleMinEvents:
			r.Actual = float64(p.Held)
		case RuleInvitedShareProject:
			r.Actual, r.Numerator, r.Denominator = p.InvitedShare, ptr(p.Invited), ptr(p.Attended)
		case RuleMinParticipantsProject:
			r.Actual = float64(p.Attended)
		case RuleMinCountriesProject:
			r.Actual = float64(p.Countries)
		case RuleMinInvitedProject:
			r.Actual = float64(p.Invited)
		default:
			if KnownRules[d.Rule] != ruleScopeEvent {
				r.Unknown = true
				out = append(out, r)
				continue
			}
			// A per-event rule over the project: met when every event meets it;
			// Actual is the number of events that do.
			r.Met = len(p.Events) > 0
			for _, er := range p.Events {
				days := er.Event.DayCount
				v, num, den, _ := eventValue(d.Rule, days, er.Counts)
				met := d.check(v)
				r.Events = append(r.Events, EventVerdict{Slug: er.Event.Slug, Number: er.Event.Number, Status: er.Event.Status, Met: met,
					Actual: v, Numerator: num, Denominator: den})
				if met {
					r.Actual++
				} else {
					r.Met = false
				}
			}
			out = append(out, r)
			continue
		}
		r.Met = d.check(r.Actual)
		out = append(out, r)
	}
	return out
}

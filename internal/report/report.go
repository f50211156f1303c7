// Package report turns what registration and the door recorded into what the
// funder asks for: counts per event and project, rule checks, the publishable
// text, signed participant lists, badges and exports.
//
// Every figure comes from the store's report queries (store/reports.go) and
// one aggregation (aggregate, below), so the dashboard, the files and the API
// always agree. docs/reports.md defines each number.
package report

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/feedback"
	"github.com/decode-attend/attend/internal/store"
)

// SmallCount is the threshold below which age band and gender counts are
// suppressed (shown as "fewer than 5") unless the raw figures are asked for.
const SmallCount = 5

// Service builds reports.
type Service struct {
	Store *store.Store
	// Replica, when set, answers the report queries while it is close
	// enough behind the primary (ATTEND_REPLICA_URL); nil reads the primary.
	Replica *store.Replica
	Now     func() time.Time
}

// New returns the service.
func New(st *store.Store, now func() time.Time) *Service { return &Service{Store: st, Now: now} }

// Counts are the figures of one event, or of a project's events added up.
type Counts struct {
	// Registered is every registration that is not cancelled.
	Registered int `json:"registered"`
	Pending    int `json:"pending"`
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
	Cancelled  int `json:"cancelled"`
	// NoShows are confirmed registrations never admitted.
	NoShows int `json:"no_shows"`
	// Attended is the eligible direct participants: the total the funder counts.
	Attended int `json:"attended"`
	// AttendedAll includes participants from countries outside the rule set.
	AttendedAll  int     `json:"attended_all"`
	Local        int     `json:"local"`
	Invited      int     `json:"invited"`
	Other        int     `json:"other"`
	InvitedShare float64 `json:"invited_share"`
	// Countries is the number of distinct countries of eligible participants.
	Countries   int            `json:"countries"`
	ByCountry   []CountryCount `json:"by_country"`
	ByCity      []CityCount    `json:"by_city"`
	NonEligible []CountryCount `json:"non_eligible"`
	Days        []DayCount     `json:"days"`
	AgeBands    []ValueCount   `json:"age_bands"`
	Genders     []ValueCount   `json:"genders"`
	// PlaceNames are the names by language of the partner towns among the
	// countries' Cities, by PlaceKey (see store.Partner.CityTexts).
	PlaceNames map[string]store.Texts `json:"-"`
	// Questions: an event's own questions counted in its report (none in a
	// project's sum: each event asks its own).
	Questions []QuestionCount `json:"questions,omitempty"`
}

// PlaceKey keys Counts.PlaceNames: a city as the report lists it, in its country.
func PlaceKey(country, city string) string { return country + "/" + strings.ToLower(city) }

// CountryCount is the eligible (or, in NonEligible, other) participants of a country.
type CountryCount struct {
	Country  string `json:"country"`
	Attended int    `json:"attended"`
	Local    int    `json:"local"`
	Invited  int    `json:"invited"`
	Other    int    `json:"other"`
	// Cities are the known cities of the country's participants, most first.
	Cities []string `json:"cities,omitempty"`
}

// CityCount is the eligible participants of a city who came the same way
// (with the same partner, or on their own).
type CityCount struct {
	City        string `json:"city"`
	Country     string `json:"country"`
	Partner     string `json:"partner,omitempty"` // partner slug
	PartnerName string `json:"partner_name,omitempty"`
	// PartnerNames is the partner's name by language (PartnerName where a
	// language has none).
	PartnerNames store.Texts `json:"partner_names,omitempty"`
	Kind         string      `json:"kind"` // local | invited | other
	Attended     int         `json:"attended"`
}

// DaysPerParticipant is the average number of days an eligible participant
// was admitted (0 when nobody came).
func (c Counts) DaysPerParticipant() float64 {
	if c.Attended == 0 {
		return 0
	}
	days := 0
	for _, d := range c.Days {
		days += d.Attended
	}
	return float64(days) / float64(c.Attended)
}

// DayCount is the people admitted on one day.
type DayCount struct {
	Date        string `json:"date"`
	Attended    int    `json:"attended"`     // eligible
	AttendedAll int    `json:"attended_all"` // everyone admitted
	Registered  int    `json:"registered"`   // registered for the day, not cancelled
}

// ValueCount is an optional attribute's count; Count is nil when suppressed.
type ValueCount struct {
	Value      string `json:"value"` // "" means not given
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

// EventInfo describes the event a report is about.
type EventInfo struct {
	ID          int64             `json:"-"`
	ProjectID   int64             `json:"-"`
	Slug        string            `json:"slug"`
	Number      int               `json:"number"`
	Title       map[string]string `json:"title"`
	Description map[string]string `json:"-"`
	City        string            `json:"city"`
	Country     string            `json:"country"`
	FirstDay    string            `json:"first_day"`
	LastDay     string            `json:"last_day"`
	DayCount    int               `json:"day_count"`
	TimeZone    string            `json:"time_zone"`
	Status      string            `json:"status"` // past | ongoing | upcoming
	HostPartner string            `json:"host_partner,omitempty"`
	// CityTexts are the host town's names when the event is in its town.
	CityTexts store.Texts `json:"-"`
}

// ProjectInfo describes the project.
type ProjectInfo struct {
	ID        int64             `json:"-"`
	Code      string            `json:"code"`
	Title     map[string]string `json:"title"`
	Acronym   string            `json:"acronym"`
	Programme string            `json:"programme"`
	Strand    string            `json:"strand"`
	Measure   map[string]string `json:"measure"`
	GrantRef  string            `json:"grant_ref"`
}

// RuleSetInfo names the rule set a report is checked against.
type RuleSetInfo struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	EligibleCountries []string `json:"eligible_countries"`
}

// EventReport is the report of one event.
type EventReport struct {
	Project ProjectInfo `json:"project"`
	Event   EventInfo   `json:"event"`
	RuleSet RuleSetInfo `json:"rule_set"`
	Counts
	Rules []RuleResult `json:"rules"`
	// Grant is what the attendance earns under the rule set's lump-sum
	// table (nil without a table), beside the planned amount.
	Grant *Earned `json:"grant,omitempty"`
	// OtherRuleSets evaluates the same attendance under every other rule set.
	OtherRuleSets []RuleSetResult `json:"other_rule_sets,omitempty"`
	Raw           bool            `json:"raw"`
	GeneratedAt   time.Time       `json:"generated_at"`
	// Source says which database server the figures were read from, and as of when.
	Source *store.ReadSource `json:"source,omitempty"`
	// Feedback is what attendees answered on the event's feedback form
	// (counts, averages, comments without names); only in the event's own report.
	Feedback *feedback.Summary `json:"feedback,omitempty"`
}

// ProjectReport is the report of a project: totals and each event.
type ProjectReport struct {
	Project ProjectInfo `json:"project"`
	RuleSet RuleSetInfo `json:"rule_set"`
	Counts
	// Held is the number of events with at least one eligible participant.
	Held          int               `json:"events_held"`
	Events        []EventReport     `json:"events"`
	Rules         []RuleResult      `json:"rules"`
	OtherRuleSets []RuleSetResult   `json:"other_rule_sets,omitempty"`
	Raw           bool              `json:"raw"`
	GeneratedAt   time.Time         `json:"generated_at"`
	Source        *store.ReadSource `json:"source,omitempty"`
	Grant         *GrantTotal       `json:"grant,omitempty"`
}

// GrantTotal is what a project's events earn together under the lump-sum
// table, and what the grant agreement plans for those with a planned amount.
type GrantTotal struct {
	EUR     float64 `json:"eur"`
	Planned float64 `json:"planned_eur"`
	// Short is the number of events that earn less than planned.
	Short int `json:"events_short"`
}

// RuleSetResult is a rule set's verdicts with its own eligible countries.
type RuleSetResult struct {
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Attended int          `json:"attended"`
	Rules    []RuleResult `json:"rules"`
}

// Options choose how a report is built.
type Options struct {
	// RuleSet is a rule set code; "" means the project's own.
	RuleSet string
	// Raw shows small age band and gender counts unsuppressed.
	Raw bool
}

// ErrUnknownRuleSet is returned for a ?rules= code that does not exist.
var ErrUnknownRuleSet = &apperr.Invalid{Fields: map[string]string{"rules": "report.error.rules"}}

// raw is what the store returns for a set of events, fetched once.
type raw struct {
	groups     []store.RegistrationGroup
	registered []store.DayRegistered
	source     store.ReadSource
}

// reportFoldQueue is the queue length from which a report folds first.
const reportFoldQueue = 5000

func (s *Service) load(ctx context.Context, ids []int64) (raw, error) {
	var r raw
	// The report corrects the counts for every queued change: past a few
	// thousand, folding them first is cheaper.
	if err := s.Store.FoldReportIfLong(ctx, reportFoldQueue); err != nil {
		return r, err
	}
	var err error
	r.source, err = s.Replica.ReportSnapshot(ctx, s.Store, func(tx *sqlx.Tx) error {
		var err error
		if r.groups, err = s.Store.RegistrationGroups(ctx, tx, ids); err != nil {
			return err
		}
		r.registered, err = s.Store.DaysRegistered(ctx, tx, ids)
		return err
	})
	return r, err
}

// scope is the context an aggregation needs besides the rows.
type scope struct {
	eligible map[string]bool
	partners map[int64]store.Partner
	host     string // host country, listed first
	raw      bool
}

// aggregate computes Counts over the rows of the given events.
func aggregate(r raw, events []int64, sc scope) Counts {
	in := map[int64]bool{}
	for _, id := range events {
		in[id] = true
	}
	var c Counts
	for _, g := range r.groups {
		if !in[g.EventID] {
			continue
		}
		switch g.Status {
		case store.StatusPending:
			c.Pending += g.N
		case store.StatusConfirmed:
			c.Confirmed += g.N
			if !g.Admitted() {
				c.NoShows += g.N
			}
		case store.StatusWaitlisted:
			c.Waitlisted += g.N
		case store.StatusCancelled:
			c.Cancelled += g.N
		}
	}
	c.Registered = c.Pending + c.Confirmed + c.Waitlisted

	countries := map[string]*CountryCount{}
	others := map[string]*CountryCount{}
	type cityKey struct {
		country, city, kind string
		partner             int64
	}
	cities := map[cityKey]int{}
	cityOfCountry := map[string]map[string]int{}
	ages, genders := map[string]int{}, map[string]int{}
	days := map[string]*DayCount{}
	for _, g := range r.groups {
		if !in[g.EventID] || !g.Admitted() {
			continue
		}
		c.AttendedAll += g.N
		for _, d := range g.Days {
			dc := days[d]
			if dc == nil {
				dc = &DayCount{Date: d}
				days[d] = dc
			}
			dc.AttendedAll += g.N
			if sc.eligible[g.Country] {
				dc.Attended += g.N
			}
		}
		if !sc.eligible[g.Country] {
			cc := others[g.Country]
			if cc == nil {
				cc = &CountryCount{Country: g.Country}
				others[g.Country] = cc
			}
			cc.Attended += g.N
			continue
		}
		c.Attended += g.N
		cc := countries[g.Country]
		if cc == nil {
			cc = &CountryCount{Country: g.Country}
			countries[g.Country] = cc
		}
		cc.Attended += g.N
		switch g.Kind {
		case "local":
			c.Local += g.N
			cc.Local += g.N
		case "invited":
			c.Invited += g.N
			cc.Invited += g.N
		default:
			c.Other += g.N
			cc.Other += g.N
		}
		k := cityKey{country: g.Country, city: g.City, kind: g.Kind}
		if g.PartnerID != nil && g.Kind == "invited" {
			k.partner = *g.PartnerID
		}
		cities[k] += g.N
		if g.City != "" {
			if cityOfCountry[g.Country] == nil {
				cityOfCountry[g.Country] = map[string]int{}
			}
			cityOfCountry[g.Country][g.City] += g.N
		}
		ages[g.AgeBand] += g.N
		genders[g.Gender] += g.N
	}
	if c.Attended > 0 {
		c.InvitedShare = float64(c.Invited) / float64(c.Attended)
	}
	c.Countries = len(countries)
	for _, cc := range countries {
		cc.Cities = rankedKeys(cityOfCountry[cc.Country])
		c.ByCountry = append(c.ByCountry, *cc)
	}
	// A participant who typed a partner's town gets its names too.
	for _, p := range sc.partners {
		if len(p.CityTexts) == 0 {
			continue
		}
		for city := range cityOfCountry[p.Country] {
			if strings.EqualFold(strings.TrimSpace(city), strings.TrimSpace(p.City)) {
				if c.PlaceNames == nil {
					c.PlaceNames = map[string]store.Texts{}
				}
				c.PlaceNames[PlaceKey(p.Country, city)] = p.CityTexts
			}
		}
	}
	sortCountries(c.ByCountry, sc.host)
	for _, cc := range others {
		c.NonEligible = append(c.NonEligible, *cc)
	}
	sortCountries(c.NonEligible, "")
	for k, n := range cities {
		cc := CityCount{City: k.city, Country: k.country, Kind: k.kind, Attended: n}
		if p, ok := sc.partners[k.partner]; ok {
			cc.Partner, cc.PartnerName, cc.PartnerNames = p.Slug, p.Organisation, p.OrganisationTexts
		}
		c.ByCity = append(c.ByCity, cc)
	}
	hostFirst := func(country string) int {
		if country == sc.host {
			return 0
		}
		return 1
	}
	slices.SortFunc(c.ByCity, func(a, b CityCount) int {
		return cmp.Or(cmp.Compare(hostFirst(a.Country), hostFirst(b.Country)), cmp.Compare(b.Attended, a.Attended),
			cmp.Compare(a.Country, b.Country), cmp.Compare(a.City, b.City), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Partner, b.Partner))
	})

	for _, d := range r.registered {
		if !in[d.EventID] {
			continue
		}
		key := d.Day.Format("2006-01-02")
		if days[key] == nil {
			days[key] = &DayCount{Date: key}
		}
		days[key].Registered += d.N
	}
	for _, dc := range days {
		c.Days = append(c.Days, *dc)
	}
	slices.SortFunc(c.Days, func(a, b DayCount) int { return cmp.Compare(a.Date, b.Date) })
	c.AgeBands = valueCounts(ages, AgeBands, sc.raw)
	c.Genders = valueCounts(genders, Genders, sc.raw)
	return c
}

// AgeBands and Genders are the optional attributes' values in display order.
var (
	AgeBands = []string{"under-18", "18-25", "26-35", "36-50", "51-65", "over-65"}
	Genders  = []string{"female", "male", "other"}
)

// valueCounts orders counts by the known values (then any others, then "not
// given") and suppresses small ones unless raw.
func valueCounts(m map[string]int, order []string, raw bool) []ValueCount {
	var keys []string
	for _, v := range order {
		if m[v] > 0 {
			keys = append(keys, v)
		}
	}
	var extra []string
	for v := range m {
		if v != "" && !slices.Contains(order, v) {
			extra = append(extra, v)
		}
	}
	slices.Sort(extra)
	keys = append(keys, extra...)
	if m[""] > 0 {
		keys = append(keys, "")
	}
	out := make([]ValueCount, 0, len(keys))
	for _, k := range keys {
		n := m[k]
		vc := ValueCount{Value: k}
		if !raw && n > 0 && n < SmallCount {
			vc.Suppressed = true
		} else {
			vc.Count = &n
		}
		out = append(out, vc)
	}
	return out
}

func rankedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	return ks
}

// sortCountries puts the host first, then by participants, then by code.
func sortCountries(cs []CountryCount, host string) {
	slices.SortFunc(cs, func(a, b CountryCount) int {
		ah, bh := a.Country == host, b.Country == host
		switch {
		case ah && !bh:
			return -1
		case bh && !ah:
			return 1
		}
		return cmp.Or(cmp.Compare(b.Attended, a.Attended), cmp.Compare(a.Country, b.Country))
	})
}

// context of a project: its rule sets and partners.
type projectContext struct {
	project  store.Project
	ruleSet  store.RuleSet
	all      []store.RuleSet
	partners map[int64]store.Partner
	events   []store.Event
}

func (s *Service) projectContext(ctx context.Context, p store.Project, ruleCode string) (projectContext, error) {
	pc := projectContext{project: p, partners: map[int64]store.Partner{}}
	var err error
	q := s.Store.DB
	// The presets and the project's own sets: another project's copies are
	// neither listed nor chosen with ?rules=.
	if pc.all, err = s.Store.RuleSetsVisible(ctx, q, p.ID); err != nil {
		return pc, err
	}
	found := false
	for _, rs := range pc.all {
		if (ruleCode != "" && rs.Code == ruleCode) || (ruleCode == "" && p.RuleSetID != nil && rs.ID == *p.RuleSetID) {
			pc.ruleSet, found = rs, true
		}
	}
	if !found {
		if ruleCode != "" {
			return pc, ErrUnknownRuleSet
		}
		// A project without a rule set: nothing is eligible by rule; count everyone.
		pc.ruleSet = store.RuleSet{Code: "", Name: "", Rules: store.JSON("[]")}
	}
	parts, err := s.Store.Partners(ctx, q, p.ID)
	if err != nil {
		return pc, err
	}
	for _, pt := range parts {
		pc.partners[pt.ID] = pt
	}
	pc.events, err = s.Store.ProjectEvents(ctx, q, p.ID)
	return pc, err
}

func eligibleSet(rs store.RuleSet, r raw) map[string]bool {
	m := map[string]bool{}
	for _, c := range rs.EligibleCountries {
		m[c] = true
	}
	if rs.Code == "" && len(rs.EligibleCountries) == 0 {
		for _, g := range r.groups {
			m[g.Country] = true
		}
	}
	return m
}

func projectInfo(p store.Project) ProjectInfo {
	return ProjectInfo{ID: p.ID, Code: p.Code, Title: p.Title, Acronym: p.Acronym, Programme: p.Programme, Strand: p.Strand,
		Measure: p.Measure, GrantRef: p.GrantRef}
}

func ruleSetInfo(rs store.RuleSet) RuleSetInfo {
	return RuleSetInfo{Code: rs.Code, Name: rs.Name, EligibleCountries: append([]string{}, rs.EligibleCountries...)}
}

func (s *Service) eventInfo(e store.Event, partners map[int64]store.Partner) EventInfo {
	status := e.Phase(s.Now())
	info := EventInfo{ID: e.ID, ProjectID: e.ProjectID, Slug: e.Slug, Number: e.Number, Title: e.Title, Description: e.Description,
		City: e.City, Country: e.Country, FirstDay: e.FirstDay.Format("2006-01-02"), LastDay: e.LastDay.Format("2006-01-02"),
		DayCount: len(e.Days()), TimeZone: e.TimeZone, Status: status}
	if e.HostPartnerID != nil {
		host := partners[*e.HostPartnerID]
		info.HostPartner = host.Slug
		if host.Country == e.Country && strings.EqualFold(strings.TrimSpace(host.City), strings.TrimSpace(e.City)) {
			info.CityTexts = host.CityTexts
		}
	}
	return info
}

// Event builds the report of the event with slug.
func (s *Service) Event(ctx context.Context, slug string, o Options) (EventReport, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return EventReport{}, err
	}
	p, err := s.Store.Project(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return EventReport{}, err
	}
	pc, err := s.projectContext(ctx, p, o.RuleSet)
	if err != nil {
		return EventReport{}, err
	}
	r, err := s.load(ctx, []int64{e.ID})
	if err != nil {
		return EventReport{}, err
	}
	rep := s.eventReport(pc, e, r, o)
	fb, err := feedback.Summarise(ctx, s.Store, e, "en")
	if err != nil {
		return EventReport{}, err
	}
	rep.Feedback = &fb
	if rep.Questions, err = s.questionCounts(ctx, s.Store.DB, e.ID, o.Raw); err != nil {
		return EventReport{}, err
	}
	return rep, nil
}

func (s *Service) eventReport(pc projectContext, e store.Event, r raw, o Options) EventReport {
	sc := scope{eligible: eligibleSet(pc.ruleSet, r), partners: pc.partners, host: e.Country, raw: o.Raw}
	rep := EventReport{
		Project: projectInfo(pc.project), Event: s.eventInfo(e, pc.partners), RuleSet: ruleSetInfo(pc.ruleSet),
		Counts: aggregate(r, []int64{e.ID}, sc), Raw: o.Raw, GeneratedAt: s.Now().UTC(), Source: &r.source,
	}
	rep.Rules = EvaluateEvent(ParseRules(pc.ruleSet.Rules), e, rep.Counts)
	if t := ParseLumpSum(pc.ruleSet.LumpSum); t != nil {
		g := t.Earn(rep.Counts, e.PlannedGrantEUR)
		rep.Grant = &g
	}
	for _, rs := range pc.all {
		if rs.Code == pc.ruleSet.Code {
			continue
		}
		c := aggregate(r, []int64{e.ID}, scope{eligible: eligibleSet(rs, r), partners: pc.partners, host: e.Country})
		rep.OtherRuleSets = append(rep.OtherRuleSets, RuleSetResult{Code: rs.Code, Name: rs.Name, Attended: c.Attended,
			Rules: EvaluateEvent(ParseRules(rs.Rules), e, c)})
	}
	return rep
}

// Project builds the report of the project with code: totals over its events
// (a person attending two events counts at each) and each event.
func (s *Service) Project(ctx context.Context, code string, o Options) (ProjectReport, error) {
	p, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return ProjectReport{}, err
	}
	pc, err := s.projectContext(ctx, p, o.RuleSet)
	if err != nil {
		return ProjectReport{}, err
	}
	ids := make([]int64, len(pc.events))
	for i, e := range pc.events {
		ids[i] = e.ID
	}
	r, err := s.load(ctx, ids)
	if err != nil {
		return ProjectReport{}, err
	}
	rep := s.projectReport(pc, ids, r, pc.ruleSet, o)
	for _, rs := range pc.all {
		if rs.Code == pc.ruleSet.Code {
			continue
		}
		other := s.projectReport(pc, ids, r, rs, Options{})
		rep.OtherRuleSets = append(rep.OtherRuleSets, RuleSetResult{Code: rs.Code, Name: rs.Name,
			Attended: other.Attended, Rules: other.Rules})
	}
	return rep, nil
}

func (s *Service) projectReport(pc projectContext, ids []int64, r raw, rs store.RuleSet, o Options) ProjectReport {
	host := ""
	if lead := leadCountry(pc.partners); lead != "" {
		host = lead
	}
	sc := scope{eligible: eligibleSet(rs, r), partners: pc.partners, host: host, raw: o.Raw}
	rep := ProjectReport{
		Project: projectInfo(pc.project), RuleSet: ruleSetInfo(rs), Counts: aggregate(r, ids, sc),
		Raw: o.Raw, GeneratedAt: s.Now().UTC(), Source: &r.source,
	}
	// The project's day list would mix events; each event carries its own.
	rep.Days = nil
	rules := ParseRules(rs.Rules)
	table := ParseLumpSum(rs.LumpSum)
	if table != nil {
		rep.Grant = &GrantTotal{}
	}
	for _, e := range pc.events {
		esc := sc
		esc.host = e.Country
		er := EventReport{
			Project: rep.Project, Event: s.eventInfo(e, pc.partners), RuleSet: rep.RuleSet,
			Counts: aggregate(r, []int64{e.ID}, esc), Raw: o.Raw, GeneratedAt: rep.GeneratedAt,
		}
		er.Rules = EvaluateEvent(rules, e, er.Counts)
		if table != nil {
			g := table.Earn(er.Counts, e.PlannedGrantEUR)
			er.Grant = &g
			rep.Grant.EUR += g.EUR
			if g.Planned != nil {
				rep.Grant.Planned += *g.Planned
			}
			if g.Short() {
				rep.Grant.Short++
			}
		}
		if er.Attended > 0 {
			rep.Held++
		}
		rep.Events = append(rep.Events, er)
	}
	rep.Rules = EvaluateProject(rules, rep)
	return rep
}

func leadCountry(ps map[int64]store.Partner) string {
	for _, p := range ps {
		if p.IsLead {
			return p.Country
		}
	}
	return ""
}

// IsNotFound reports whether err means the event or project does not exist.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

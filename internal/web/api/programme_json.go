package api

import (
	"context"
	"strconv"
	"time"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// The programme's JSON shapes (50-programme.json): what the API answers, and
// the bodies it takes, which it turns into setup's inputs.

// ProgrammeProject is a project as the API answers it.
type ProgrammeProject struct {
	Code           string      `json:"code"`
	Title          store.Texts `json:"title"`
	Acronym        string      `json:"acronym"`
	Programme      string      `json:"programme"`
	Strand         string      `json:"strand"`
	Measure        store.Texts `json:"measure"`
	GrantRef       string      `json:"grant_ref"`
	StartsOn       *string     `json:"starts_on"`
	EndsOn         *string     `json:"ends_on"`
	BudgetEUR      *float64    `json:"budget_eur"`
	RuleSet        *string     `json:"rule_set"`
	BalancePaidOn  *string     `json:"balance_paid_on"`
	RetentionYears int         `json:"retention_years"`
	AnonymisedAt   *time.Time  `json:"anonymised_at"`
}

// ProgrammePartner is a partner as the API answers it.
type ProgrammePartner struct {
	Slug         string `json:"slug"`
	Organisation string `json:"organisation"`
	City         string `json:"city"`
	Country      string `json:"country"`
	IsLead       bool   `json:"is_lead"`
	Position     int    `json:"position"`
	// CityTexts are the town's names by language, and "<lang>-gen" for the
	// genitive after "from" where a language declines it.
	CityTexts map[string]string `json:"city_texts"`
	// OrganisationTexts is the organisation's name by language; Organisation
	// is the name where a language has none.
	OrganisationTexts store.Texts `json:"organisation_texts"`
}

// ProgrammeEvent is an event as the API answers it: the registration
// window's times in RFC 3339 in the event's time zone.
type ProgrammeEvent struct {
	Slug                 string      `json:"slug"`
	Project              string      `json:"project"`
	Number               int         `json:"number"`
	Title                store.Texts `json:"title"`
	Description          store.Texts `json:"description"`
	City                 string      `json:"city"`
	Country              string      `json:"country"`
	Venue                string      `json:"venue"`
	Address              string      `json:"address"`
	VenueTexts           store.Texts `json:"venue_texts"`
	AddressTexts         store.Texts `json:"address_texts"`
	FirstDay             string      `json:"first_day"`
	LastDay              string      `json:"last_day"`
	TimeZone             string      `json:"time_zone"`
	HostPartner          *string     `json:"host_partner"`
	Capacity             *int        `json:"capacity"`
	PlannedGrantEUR      *float64    `json:"planned_grant_eur"`
	Confirmed            int         `json:"confirmed"`
	RegistrationOpensAt  *string     `json:"registration_opens_at"`
	RegistrationClosesAt *string     `json:"registration_closes_at"`
	RegistrationState    string      `json:"registration_state"`
	RegistrationOpen     bool        `json:"registration_open"`
}

// projectBody is the body of POST /projects and PATCH /projects/{code}.
type projectBody struct {
	Code           optional[string]  `json:"code"`
	Title          map[string]string `json:"title"`
	Acronym        optional[string]  `json:"acronym"`
	Programme      optional[string]  `json:"programme"`
	Strand         optional[string]  `json:"strand"`
	Measure        map[string]string `json:"measure"`
	GrantRef       optional[string]  `json:"grant_ref"`
	StartsOn       optional[string]  `json:"starts_on"`
	EndsOn         optional[string]  `json:"ends_on"`
	BudgetEUR      optional[float64] `json:"budget_eur"`
	RuleSet        optional[string]  `json:"rule_set"`
	BalancePaidOn  optional[string]  `json:"balance_paid_on"`
	RetentionYears optional[int]     `json:"retention_years"`
}

// partnerBody is the body of POST /projects/{code}/partners and PATCH .../{slug}.
type partnerBody struct {
	Slug         optional[string]  `json:"slug"`
	Organisation optional[string]  `json:"organisation"`
	City         optional[string]  `json:"city"`
	Country      optional[string]  `json:"country"`
	Position     optional[int]     `json:"position"`
	CityTexts    map[string]string `json:"city_texts"`
	// OrganisationTexts names the languages to set; an empty text removes one.
	OrganisationTexts map[string]string `json:"organisation_texts"`
}

// eventBody is the body of POST /projects/{code}/events and PATCH /events/{slug}.
type eventBody struct {
	Slug                 optional[string]  `json:"slug"`
	Number               optional[int]     `json:"number"`
	Title                map[string]string `json:"title"`
	Description          map[string]string `json:"description"`
	City                 optional[string]  `json:"city"`
	Country              optional[string]  `json:"country"`
	Venue                optional[string]  `json:"venue"`
	Address              optional[string]  `json:"address"`
	VenueTexts           map[string]string `json:"venue_texts"`
	AddressTexts         map[string]string `json:"address_texts"`
	FirstDay             optional[string]  `json:"first_day"`
	LastDay              optional[string]  `json:"last_day"`
	TimeZone             optional[string]  `json:"time_zone"`
	HostPartner          optional[string]  `json:"host_partner"`
	Capacity             optional[int]     `json:"capacity"`
	PlannedGrantEUR      optional[float64] `json:"planned_grant_eur"`
	RegistrationOpensAt  optional[string]  `json:"registration_opens_at"`
	RegistrationClosesAt optional[string]  `json:"registration_closes_at"`
	RegistrationState    optional[string]  `json:"registration_state"`
}

func intText(n int) string       { return strconv.Itoa(n) }
func floatText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// apply lays the fields the body names over a project's form.
func (b projectBody) apply(in *setup.ProjectInput) {
	b.Code.str(&in.Code, asIs)
	mergeTexts(in.Title, b.Title)
	mergeTexts(in.Measure, b.Measure)
	b.Acronym.str(&in.Acronym, asIs)
	b.Programme.str(&in.Programme, asIs)
	b.Strand.str(&in.Strand, asIs)
	b.GrantRef.str(&in.GrantRef, asIs)
	b.StartsOn.str(&in.StartsOn, asIs)
	b.EndsOn.str(&in.EndsOn, asIs)
	b.BudgetEUR.str(&in.Budget, floatText)
	if b.RuleSet.Set {
		in.RuleSetID = ""
		b.RuleSet.str(&in.RuleSetCode, asIs)
	}
	b.BalancePaidOn.str(&in.BalancePaidOn, asIs)
	b.RetentionYears.str(&in.RetentionYears, intText)
}

// apply lays the fields the body names over a partner's form.
func (b partnerBody) apply(in *setup.PartnerInput) {
	b.Slug.str(&in.Slug, asIs)
	b.Organisation.str(&in.Organisation, asIs)
	b.City.str(&in.City, asIs)
	b.Country.str(&in.Country, asIs)
	b.Position.str(&in.Position, intText)
	in.CityTexts = b.CityTexts
	in.OrganisationTexts = b.OrganisationTexts
}

// apply lays the fields the body names over an event's form.
func (b eventBody) apply(in *setup.EventInput) {
	b.Slug.str(&in.Slug, asIs)
	b.Number.str(&in.Number, intText)
	mergeTexts(in.Title, b.Title)
	mergeTexts(in.Description, b.Description)
	b.City.str(&in.City, asIs)
	b.Country.str(&in.Country, asIs)
	b.Venue.str(&in.Venue, asIs)
	b.Address.str(&in.Address, asIs)
	in.VenueTexts, in.AddressTexts = b.VenueTexts, b.AddressTexts
	b.FirstDay.str(&in.FirstDay, asIs)
	b.LastDay.str(&in.LastDay, asIs)
	b.TimeZone.str(&in.TimeZone, asIs)
	if b.HostPartner.Set {
		in.HostPartnerID = ""
		b.HostPartner.str(&in.HostPartnerSlug, asIs)
	}
	b.Capacity.str(&in.Capacity, intText)
	b.PlannedGrantEUR.str(&in.PlannedGrant, floatText)
	b.RegistrationOpensAt.str(&in.OpensAt, asIs)
	b.RegistrationClosesAt.str(&in.ClosesAt, asIs)
	b.RegistrationState.str(&in.RegistrationState, asIs)
}

// mergeTexts sets the languages src names; an empty text removes one.
func mergeTexts(dst, src map[string]string) {
	for lang, v := range src {
		dst[lang] = v
	}
}

func isoDay(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format("2006-01-02")
	return &s
}

func (h *ProgrammeAPI) project(ctx context.Context, p store.Project) (ProgrammeProject, error) {
	out := ProgrammeProject{Code: p.Code, Title: textsOrEmpty(p.Title), Acronym: p.Acronym, Programme: p.Programme,
		Strand: p.Strand, Measure: textsOrEmpty(p.Measure), GrantRef: p.GrantRef, StartsOn: isoDay(p.StartsOn), EndsOn: isoDay(p.EndsOn),
		BudgetEUR: p.BudgetEUR, BalancePaidOn: isoDay(p.BalancePaidOn), RetentionYears: p.RetentionYears, AnonymisedAt: p.AnonymisedAt}
	if p.RuleSetID != nil {
		rs, err := h.Store.RuleSet(ctx, h.Store.DB, *p.RuleSetID)
		if err != nil {
			return out, err
		}
		out.RuleSet = &rs.Code
	}
	return out, nil
}

func partnerJSON(p store.Partner) ProgrammePartner {
	out := ProgrammePartner{Slug: p.Slug, Organisation: p.Organisation, City: p.City, Country: p.Country,
		IsLead: p.IsLead, Position: p.Position, CityTexts: p.CityTexts, OrganisationTexts: textsOrEmpty(p.OrganisationTexts)}
	if out.CityTexts == nil {
		out.CityTexts = map[string]string{}
	}
	return out
}

// events turns a project's events into their JSON, naming host partners by slug.
func (h *ProgrammeAPI) events(ctx context.Context, p store.Project, es []store.Event) ([]ProgrammeEvent, error) {
	partners, err := h.Store.Partners(ctx, h.Store.DB, p.ID)
	if err != nil {
		return nil, err
	}
	slugs := map[int64]string{}
	for _, pt := range partners {
		slugs[pt.ID] = pt.Slug
	}
	now := h.Now()
	out := make([]ProgrammeEvent, 0, len(es))
	for _, e := range es {
		loc := e.Location()
		at := func(t *time.Time) *string {
			if t == nil {
				return nil
			}
			s := t.In(loc).Format(time.RFC3339)
			return &s
		}
		j := ProgrammeEvent{Slug: e.Slug, Project: p.Code, Number: e.Number, Title: textsOrEmpty(e.Title),
			Description: textsOrEmpty(e.Description), City: e.City, Country: e.Country, Venue: e.Venue, Address: e.Address,
			VenueTexts: textsOrEmpty(e.VenueTexts), AddressTexts: textsOrEmpty(e.AddressTexts),
			FirstDay: e.FirstDay.Format("2006-01-02"), LastDay: e.LastDay.Format("2006-01-02"), TimeZone: e.TimeZone,
			Capacity: e.Capacity, PlannedGrantEUR: e.PlannedGrantEUR, Confirmed: e.ConfirmedCount, RegistrationOpensAt: at(e.RegistrationOpensAt),
			RegistrationClosesAt: at(e.RegistrationClosesAt), RegistrationState: e.RegistrationState,
			RegistrationOpen: e.RegistrationOpen(now)}
		if e.HostPartnerID != nil {
			s := slugs[*e.HostPartnerID]
			j.HostPartner = &s
		}
		out = append(out, j)
	}
	return out, nil
}

// event is one event's JSON.
func (h *ProgrammeAPI) event(ctx context.Context, e store.Event) (ProgrammeEvent, error) {
	p, err := h.Store.Project(ctx, h.Store.DB, e.ProjectID)
	if err != nil {
		return ProgrammeEvent{}, err
	}
	out, err := h.events(ctx, p, []store.Event{e})
	if err != nil {
		return ProgrammeEvent{}, err
	}
	return out[0], nil
}

// texts answers an empty object rather than null.
func textsOrEmpty(t store.Texts) store.Texts {
	if t == nil {
		return store.Texts{}
	}
	return t
}

package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Project is a grant-funded programme of events (e.g. DeCoDe).
type Project struct {
	ID             int64      `db:"id"`
	Code           string     `db:"code"`
	Title          Texts      `db:"title"`
	Acronym        string     `db:"acronym"`
	Programme      string     `db:"programme"`
	Strand         string     `db:"strand"`
	Measure        Texts      `db:"measure"`
	GrantRef       string     `db:"grant_ref"`
	StartsOn       *time.Time `db:"starts_on"`
	EndsOn         *time.Time `db:"ends_on"`
	BudgetEUR      *float64   `db:"budget_eur"`
	RuleSetID      *int64     `db:"rule_set_id"`
	BalancePaidOn  *time.Time `db:"balance_paid_on"`
	RetentionYears int        `db:"retention_years"`
	AnonymisedAt   *time.Time `db:"anonymised_at"`
}

// Partner is an organisation of a project, with its city and country.
type Partner struct {
	ID           int64  `db:"id"`
	ProjectID    int64  `db:"project_id"`
	Slug         string `db:"slug"`
	Organisation string `db:"organisation"`
	// OrganisationTexts is the organisation's name per language; Organisation
	// is the default where a language has none.
	OrganisationTexts Texts  `db:"organisation_texts"`
	City              string `db:"city"`
	Country           string `db:"country"`
	IsLead            bool   `db:"is_lead"`
	Position          int    `db:"position"`
	// CityTexts is the town's name by language, and its genitive under
	// "<lang>-gen" where a language declines it (see migration 0121).
	CityTexts Texts `db:"city_texts"`
}

// OrganisationIn is the organisation's name in lang, else the default name
// (for places without a Localizer; pages use Localizer.PickOr).
func (p Partner) OrganisationIn(lang string) string {
	if s := p.OrganisationTexts[lang]; s != "" {
		return s
	}
	return p.Organisation
}

// CityIn is the partner's town as lang names it, else the town as typed.
func (p Partner) CityIn(lang string) string {
	if s := p.CityTexts[lang]; s != "" {
		return s
	}
	return p.City
}

// Event is one international event of a project.
type Event struct {
	ID            int64  `db:"id"`
	ProjectID     int64  `db:"project_id"`
	Slug          string `db:"slug"`
	Number        int    `db:"number"`
	HostPartnerID *int64 `db:"host_partner_id"`
	Title         Texts  `db:"title"`
	Description   Texts  `db:"description"`
	Venue         string `db:"venue"`
	Address       string `db:"address"`
	// VenueTexts and AddressTexts are the venue and address per language;
	// Venue and Address are the default where a language has none.
	VenueTexts           Texts      `db:"venue_texts"`
	AddressTexts         Texts      `db:"address_texts"`
	City                 string     `db:"city"`
	Country              string     `db:"country"`
	FirstDay             time.Time  `db:"first_day"`
	LastDay              time.Time  `db:"last_day"`
	TimeZone             string     `db:"time_zone"`
	Capacity             *int       `db:"capacity"`
	ConfirmedCount       int        `db:"confirmed_count"`
	RegistrationOpensAt  *time.Time `db:"registration_opens_at"`
	RegistrationClosesAt *time.Time `db:"registration_closes_at"`
	RegistrationState    string     `db:"registration_state"`
	// CountsExits: the door records exits too (door mode "out"), so that
	// the live counts show the people inside now.
	CountsExits bool `db:"counts_exits"`
	// PlannedGrantEUR is the amount the grant agreement plans for the event.
	PlannedGrantEUR *float64 `db:"planned_grant_eur"`
	// CityTexts are the town's names per language, the host partner's when
	// the event is in the host's town (read only; empty otherwise).
	CityTexts Texts `db:"city_texts"`
}

// CityIn is the event's town in lang: the host partner's name for it, else
// the town as entered.
func (e Event) CityIn(lang string) string {
	if s := e.CityTexts[lang]; s != "" {
		return s
	}
	return e.City
}

// Phase is where the event stands at now on its own clock: "upcoming",
// "ongoing" or "past".
func (e Event) Phase(now time.Time) string {
	local := now.In(e.Location())
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case today.After(e.LastDay):
		return "past"
	case !today.Before(e.FirstDay):
		return "ongoing"
	}
	return "upcoming"
}

// RegistrationOpen reports whether registration is open at now.
func (e Event) RegistrationOpen(now time.Time) bool {
	switch e.RegistrationState {
	case "open":
		return true
	case "closed":
		return false
	}
	if e.RegistrationOpensAt != nil && now.Before(*e.RegistrationOpensAt) {
		return false
	}
	if e.RegistrationClosesAt != nil && !now.Before(*e.RegistrationClosesAt) {
		return false
	}
	return true
}

// PlacesLeft is the number of free seats, or nil when capacity is unlimited.
func (e Event) PlacesLeft() *int {
	if e.Capacity == nil {
		return nil
	}
	n := *e.Capacity - e.ConfirmedCount
	if n < 0 {
		n = 0
	}
	return &n
}

// Days lists the event's dates from first to last day.
func (e Event) Days() []time.Time {
	var ds []time.Time
	for d := e.FirstDay; !d.After(e.LastDay); d = d.AddDate(0, 0, 1) {
		ds = append(ds, d)
	}
	return ds
}

// EventDay is one day of an event, optionally with its own capacity.
type EventDay struct {
	EventID        int64     `db:"event_id"`
	Day            time.Time `db:"day"`
	Capacity       *int      `db:"capacity"`
	ConfirmedCount int       `db:"confirmed_count"`
	// StartsAt and EndsAt are the day's times ("09:00") in the event's time
	// zone; nil when not set.
	StartsAt *string `db:"starts_at"`
	EndsAt   *string `db:"ends_at"`
}

const projectColumns = `id, code, title, acronym, programme, strand, measure, grant_ref, starts_on, ends_on,
	budget_eur, rule_set_id, balance_paid_on, retention_years, anonymised_at`

const insertProject = `
INSERT INTO projects (code, title, acronym, programme, strand, measure, grant_ref, starts_on, ends_on,
	budget_eur, rule_set_id, balance_paid_on, retention_years)
VALUES (:code, :title, :acronym, :programme, :strand, :measure, :grant_ref, :starts_on, :ends_on,
	:budget_eur, :rule_set_id, :balance_paid_on, :retention_years)
RETURNING id`

// CreateProject inserts a project and sets its ID.
func (s *Store) CreateProject(ctx context.Context, q sqlx.ExtContext, p *Project) error {
	if p.RetentionYears == 0 {
		p.RetentionYears = 5
	}
	return namedGet(ctx, q, &p.ID, insertProject, p)
}

const selectProjectByCode = `SELECT ` + projectColumns + ` FROM projects WHERE code = $1`

// ProjectByCode finds a project by its code (e.g. "decode").
func (s *Store) ProjectByCode(ctx context.Context, q sqlx.QueryerContext, code string) (Project, error) {
	var p Project
	err := sqlx.GetContext(ctx, q, &p, selectProjectByCode, code)
	return p, wrap("project by code", err)
}

const selectProject = `SELECT ` + projectColumns + ` FROM projects WHERE id = $1`

// Project finds a project by id.
func (s *Store) Project(ctx context.Context, q sqlx.QueryerContext, id int64) (Project, error) {
	var p Project
	err := sqlx.GetContext(ctx, q, &p, selectProject, id)
	return p, wrap("project", err)
}

const selectProjects = `SELECT ` + projectColumns + ` FROM projects ORDER BY starts_on NULLS LAST, id`

// Projects lists all projects.
func (s *Store) Projects(ctx context.Context, q sqlx.QueryerContext) ([]Project, error) {
	var ps []Project
	err := sqlx.SelectContext(ctx, q, &ps, selectProjects)
	return ps, wrap("projects", err)
}

const insertPartner = `
INSERT INTO partners (project_id, slug, organisation, organisation_texts, city, country, is_lead, position, city_texts)
VALUES (:project_id, :slug, :organisation, :organisation_texts, :city, :country, :is_lead, :position, :city_texts)
RETURNING id`

// CreatePartner inserts a partner and sets its ID.
func (s *Store) CreatePartner(ctx context.Context, q sqlx.ExtContext, p *Partner) error {
	return namedGet(ctx, q, &p.ID, insertPartner, p)
}

const selectPartners = `
SELECT id, project_id, slug, organisation, organisation_texts, city, country, is_lead, position, city_texts
FROM partners WHERE project_id = $1 ORDER BY position, id`

// Partners lists a project's partners, lead first.
func (s *Store) Partners(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]Partner, error) {
	var ps []Partner
	err := sqlx.SelectContext(ctx, q, &ps, selectPartners, projectID)
	return ps, wrap("partners", err)
}

const selectPartner = `
SELECT id, project_id, slug, organisation, organisation_texts, city, country, is_lead, position, city_texts FROM partners WHERE id = $1`

// Partner finds a partner by id.
func (s *Store) Partner(ctx context.Context, q sqlx.QueryerContext, id int64) (Partner, error) {
	var p Partner
	err := sqlx.GetContext(ctx, q, &p, selectPartner, id)
	return p, wrap("partner", err)
}

const selectPartnerBySlug = `
SELECT id, project_id, slug, organisation, organisation_texts, city, country, is_lead, position, city_texts
FROM partners WHERE project_id = $1 AND slug = $2`

// PartnerBySlug finds a project's partner by slug.
func (s *Store) PartnerBySlug(ctx context.Context, q sqlx.QueryerContext, projectID int64, slug string) (Partner, error) {
	var p Partner
	err := sqlx.GetContext(ctx, q, &p, selectPartnerBySlug, projectID, slug)
	return p, wrap("partner by slug", err)
}

const eventColumns = `id, project_id, slug, number, host_partner_id, title, description, venue, address,
	venue_texts, address_texts, city, country, first_day, last_day, time_zone, capacity, confirmed_count, registration_opens_at,
	registration_closes_at, registration_state, counts_exits, planned_grant_eur,
	(SELECT pa.city_texts FROM partners pa WHERE pa.id = events.host_partner_id AND lower(btrim(pa.city)) = lower(btrim(events.city))) AS city_texts`

const insertEvent = `
INSERT INTO events (project_id, slug, number, host_partner_id, title, description, venue, address,
	venue_texts, address_texts, city,
	country, first_day, last_day, time_zone, capacity, registration_opens_at, registration_closes_at,
	registration_state, planned_grant_eur)
VALUES (:project_id, :slug, :number, :host_partner_id, :title, :description, :venue, :address,
	:venue_texts, :address_texts, :city,
	:country, :first_day, :last_day, :time_zone, :capacity, :registration_opens_at, :registration_closes_at,
	:registration_state, :planned_grant_eur)
RETURNING id`

const insertEventDays = `
INSERT INTO event_days (event_id, day)
SELECT $1, d::date FROM generate_series($2::date, $3::date, interval '1 day') AS d`

// CreateEvent inserts an event with one event_days row per day, and sets its ID.
func (s *Store) CreateEvent(ctx context.Context, q sqlx.ExtContext, e *Event) error {
	if e.RegistrationState == "" {
		e.RegistrationState = "auto"
	}
	if e.TimeZone == "" {
		e.TimeZone = "UTC"
	}
	if err := namedGet(ctx, q, &e.ID, insertEvent, e); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, insertEventDays, e.ID, e.FirstDay, e.LastDay)
	return wrap("create event days", err)
}

const selectEvents = `SELECT ` + eventColumns + ` FROM events ORDER BY first_day, id`

// Events lists all events by date.
func (s *Store) Events(ctx context.Context, q sqlx.QueryerContext) ([]Event, error) {
	var es []Event
	err := sqlx.SelectContext(ctx, q, &es, selectEvents)
	return es, wrap("events", err)
}

const selectProjectEvents = `SELECT ` + eventColumns + ` FROM events WHERE project_id = $1 ORDER BY number`

// ProjectEvents lists a project's events by number.
func (s *Store) ProjectEvents(ctx context.Context, q sqlx.QueryerContext, projectID int64) ([]Event, error) {
	var es []Event
	err := sqlx.SelectContext(ctx, q, &es, selectProjectEvents, projectID)
	return es, wrap("project events", err)
}

const selectNextEventNumber = `SELECT coalesce(max(number), 0) + 1 FROM events WHERE project_id = $1`

// NextEventNumber is the number after a project's highest (1 for its first
// event). Two events created at once may get the same one: the unique key on
// (project_id, number) refuses the second.
func (s *Store) NextEventNumber(ctx context.Context, q sqlx.QueryerContext, projectID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, selectNextEventNumber, projectID)
	return n, wrap("next event number", err)
}

const selectEventBySlug = `SELECT ` + eventColumns + ` FROM events WHERE slug = $1`

// EventBySlug finds an event by slug.
func (s *Store) EventBySlug(ctx context.Context, q sqlx.QueryerContext, slug string) (Event, error) {
	var e Event
	err := sqlx.GetContext(ctx, q, &e, selectEventBySlug, slug)
	return e, wrap("event by slug", err)
}

const selectEvent = `SELECT ` + eventColumns + ` FROM events WHERE id = $1`

// Event finds an event by id.
func (s *Store) Event(ctx context.Context, q sqlx.QueryerContext, id int64) (Event, error) {
	var e Event
	err := sqlx.GetContext(ctx, q, &e, selectEvent, id)
	return e, wrap("event", err)
}

const updateEventSettings = `
UPDATE events SET capacity = $2, registration_state = $3, updated_at = now()
WHERE id = $1`

// SetEventSettings changes capacity and the registration override. Lowering the
// capacity below the confirmed seats fails with ErrConflict (the CHECK holds).
func (s *Store) SetEventSettings(ctx context.Context, q sqlx.ExecerContext, id int64, capacity *int, state string) error {
	res, err := q.ExecContext(ctx, updateEventSettings, id, capacity, state)
	if err != nil {
		return wrap("set event settings", err)
	}
	return mustAffect(res, "set event settings")
}

const selectEventDays = `SELECT event_id, day, capacity, confirmed_count,
	to_char(opens_at, 'HH24:MI') AS starts_at, to_char(closes_at, 'HH24:MI') AS ends_at
FROM event_days WHERE event_id = $1 ORDER BY day`

// EventDays lists an event's days.
func (s *Store) EventDays(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]EventDay, error) {
	var ds []EventDay
	err := sqlx.SelectContext(ctx, q, &ds, selectEventDays, eventID)
	return ds, wrap("event days", err)
}

// wrap maps driver errors to typed errors and adds the operation name.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, mapErr(err))
}

// namedGet runs a named INSERT ... RETURNING into dest.
func namedGet(ctx context.Context, q sqlx.ExtContext, dest any, query string, arg any) error {
	query, args, err := sqlx.Named(query, arg)
	if err != nil {
		return err
	}
	query = q.Rebind(query)
	return wrap("insert", sqlx.GetContext(ctx, q, dest, query, args...))
}

type rowsAffected interface{ RowsAffected() (int64, error) }

func mustAffect(res rowsAffected, op string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return nil
}

// zones keeps loaded time zones: time.LoadLocation reads the zone file on
// every call, and the door asks for its event's zone on every scan.
var zones sync.Map // name → *time.Location

// Location is the event's time zone (UTC if the name is unknown to this machine).
func (e Event) Location() *time.Location {
	if l, ok := zones.Load(e.TimeZone); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	zones.Store(e.TimeZone, l)
	return l
}

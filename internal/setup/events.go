package setup

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// RegistrationStates are the operator's choices: follow the window, or force.
var RegistrationStates = []string{"auto", "open", "closed"}

// EventInput is the event form.
type EventInput struct {
	ProjectID       int64
	Slug            string
	Number          string // empty on a new event: the project's next number
	HostPartnerID   string
	HostPartnerSlug string // the host by slug (the API); HostPartnerID wins when both are set
	Title           map[string]string
	Description     map[string]string
	Venue           string
	Address         string
	// VenueTexts and AddressTexts are the venue and address by language (the
	// API; the form edits them on the translation screen): a language not
	// named keeps its text, an empty text removes it, nil keeps them all.
	VenueTexts        map[string]string
	AddressTexts      map[string]string
	City              string
	Country           string
	FirstDay          string
	LastDay           string
	TimeZone          string
	Capacity          string // empty: unlimited
	PlannedGrant      string // EUR the grant agreement plans; empty: not entered
	RegistrationState string
	OpensAt           string // datetime-local in the event's time zone, or RFC 3339 with an offset
	ClosesAt          string
}

// InputOf fills the form from an event.
func InputOf(e store.Event) EventInput {
	in := EventInput{ProjectID: e.ProjectID, Slug: e.Slug, Number: strconv.Itoa(e.Number), Title: map[string]string{},
		Description: map[string]string{}, Venue: e.Venue, Address: e.Address, City: e.City, Country: e.Country,
		FirstDay: e.FirstDay.Format("2006-01-02"), LastDay: e.LastDay.Format("2006-01-02"), TimeZone: e.TimeZone,
		RegistrationState: e.RegistrationState}
	for k, v := range e.Title {
		in.Title[k] = v
	}
	for k, v := range e.Description {
		in.Description[k] = v
	}
	if e.HostPartnerID != nil {
		in.HostPartnerID = strconv.FormatInt(*e.HostPartnerID, 10)
	}
	if e.Capacity != nil {
		in.Capacity = strconv.Itoa(*e.Capacity)
	}
	if e.PlannedGrantEUR != nil {
		in.PlannedGrant = strconv.FormatFloat(*e.PlannedGrantEUR, 'f', -1, 64)
	}
	loc := e.Location()
	if e.RegistrationOpensAt != nil {
		in.OpensAt = e.RegistrationOpensAt.In(loc).Format("2006-01-02T15:04")
	}
	if e.RegistrationClosesAt != nil {
		in.ClosesAt = e.RegistrationClosesAt.In(loc).Format("2006-01-02T15:04")
	}
	return in
}

// ParseCapacity reads an optional non-negative number of seats.
func ParseCapacity(inv *apperr.Invalid, field, s string) *int {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		inv.Add(field, "admin.error.capacity")
		return nil
	}
	return &n
}

func (s *Service) eventFrom(ctx context.Context, in EventInput, e *store.Event) error {
	inv := &apperr.Invalid{}
	e.ProjectID = in.ProjectID
	e.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if !slugRe.MatchString(e.Slug) {
		inv.Add("slug", "admin.error.slug")
	}
	if num := strings.TrimSpace(in.Number); num != "" || e.ID != 0 {
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > 10000 {
			inv.Add("number", "admin.error.number")
		}
		e.Number = n
	} else {
		e.Number = 0 // CreateEvent takes the next one
	}
	e.Title = texts(inv, "title", in.Title, e.Title, 300, true)
	e.Description = texts(inv, "description", in.Description, e.Description, 5000, false)
	e.Venue = text(inv, "venue", in.Venue, 300, false)
	e.Address = text(inv, "address", in.Address, 300, false)
	e.VenueTexts = texts(inv, "venue_texts", in.VenueTexts, e.VenueTexts, 300, false)
	e.AddressTexts = texts(inv, "address_texts", in.AddressTexts, e.AddressTexts, 300, false)
	e.City = text(inv, "city", in.City, 100, true)
	e.Country = country(inv, "country", in.Country)
	e.TimeZone = strings.TrimSpace(in.TimeZone)
	loc, err := time.LoadLocation(e.TimeZone)
	if e.TimeZone == "" || err != nil {
		inv.Add("time_zone", "admin.error.time_zone")
		loc = time.UTC
	}
	first, last := ParseDate(inv, "first_day", in.FirstDay), ParseDate(inv, "last_day", in.LastDay)
	if first == nil {
		inv.Add("first_day", "admin.error.date")
	}
	if last == nil {
		inv.Add("last_day", "admin.error.date")
	}
	if first != nil && last != nil {
		switch {
		case last.Before(*first):
			inv.Add("last_day", "admin.error.date_order")
		case last.Sub(*first) >= 21*24*time.Hour:
			inv.Add("last_day", "admin.error.max_days")
		}
		e.FirstDay, e.LastDay = *first, *last
	}
	e.Capacity = ParseCapacity(inv, "capacity", in.Capacity)
	e.PlannedGrantEUR = nil
	if v := strings.TrimSpace(in.PlannedGrant); v != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || !(f >= 0 && f <= 1e10) {
			inv.Add("planned_grant", "admin.error.number")
		} else {
			e.PlannedGrantEUR = &f
		}
	}
	if !slices.Contains(RegistrationStates, in.RegistrationState) {
		inv.Add("registration_state", "admin.error.state")
	}
	e.RegistrationState = in.RegistrationState
	e.RegistrationOpensAt = parseLocal(inv, "opens_at", in.OpensAt, loc)
	e.RegistrationClosesAt = parseLocal(inv, "closes_at", in.ClosesAt, loc)
	if e.RegistrationOpensAt != nil && e.RegistrationClosesAt != nil && !e.RegistrationClosesAt.After(*e.RegistrationOpensAt) {
		inv.Add("closes_at", "admin.error.date_order")
	}
	e.HostPartnerID = nil
	if hp := strings.TrimSpace(in.HostPartnerID); hp != "" {
		id, err := strconv.ParseInt(hp, 10, 64)
		if err != nil {
			inv.Add("host_partner", "admin.error.partner")
		} else if pt, err := s.Store.Partner(ctx, s.Store.DB, id); err != nil || pt.ProjectID != in.ProjectID {
			inv.Add("host_partner", "admin.error.partner")
		} else {
			e.HostPartnerID = &id
		}
	} else if slug := strings.TrimSpace(in.HostPartnerSlug); slug != "" {
		// Looked up among the event's own project's partners only.
		if pt, err := s.Store.PartnerBySlug(ctx, s.Store.DB, in.ProjectID, slug); err != nil {
			inv.Add("host_partner", "admin.error.partner")
		} else {
			e.HostPartnerID = &pt.ID
		}
	}
	return inv.Err()
}

// parseLocal reads a date and time: an instant in RFC 3339 (with its offset,
// as the API sends it), or a form's datetime-local in the event's time zone.
func parseLocal(inv *apperr.Invalid, field, s string, loc *time.Location) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if t.Year() < 2000 || t.Year() > 2200 {
			inv.Add(field, "admin.error.datetime")
			return nil
		}
		return &t
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		inv.Add(field, "admin.error.datetime")
		return nil
	}
	return &t
}

// CreateEvent adds an event with its days.
func (s *Service) CreateEvent(ctx context.Context, actor *auth.Principal, in EventInput, ip string) (store.Event, error) {
	var e store.Event
	if err := s.eventFrom(ctx, in, &e); err != nil {
		return e, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.refuseOpening(ctx, tx, store.Event{}, e); err != nil {
			return err
		}
		if e.Number == 0 {
			n, err := s.Store.NextEventNumber(ctx, tx, e.ProjectID)
			if err != nil {
				return err
			}
			e.Number = n
		}
		if err := s.Store.CreateEvent(ctx, tx, &e); err != nil {
			if store.IsConstraint(err, "events_project_id_number_key") {
				return apperr.Taken("number", "admin.error.number_taken")
			}
			return conflict(err, "slug", "admin.error.slug_taken")
		}
		return s.log(ctx, tx, actor, ip, "event.create", "event", e.ID, map[string]any{"slug": e.Slug})
	})
	return e, err
}

// UpdateEvent saves an event. Its dates move only if nobody registered for a
// day that would disappear; capacity cannot drop below the confirmed seats.
func (s *Service) UpdateEvent(ctx context.Context, actor *auth.Principal, id int64, in EventInput, ip string) (store.Event, error) {
	var e store.Event
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.Event(ctx, tx, id)
		if err != nil {
			return err
		}
		e = old
		in.ProjectID = old.ProjectID
		if err := s.eventFrom(ctx, in, &e); err != nil {
			return err
		}
		if err := s.refuseOpening(ctx, tx, old, e); err != nil {
			return err
		}
		if !e.FirstDay.Equal(old.FirstDay) || !e.LastDay.Equal(old.LastDay) {
			n, err := s.Store.DaysInUse(ctx, tx, id, e.FirstDay, e.LastDay)
			if err != nil {
				return err
			}
			if n > 0 {
				return &apperr.Invalid{Fields: map[string]string{"first_day": "admin.error.days_in_use"}}
			}
			if err := s.Store.SetEventDates(ctx, tx, id, e.FirstDay, e.LastDay); err != nil {
				return err
			}
		}
		if err := s.Store.UpdateEvent(ctx, tx, e); err != nil {
			if store.IsConstraint(err, "events_project_id_number_key") {
				return apperr.Taken("number", "admin.error.number_taken")
			}
			if store.IsConstraint(err, "events_slug_key") {
				return apperr.Taken("slug", "admin.error.slug_taken")
			}
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"capacity": "admin.error.capacity_below"}}
			}
			return err
		}
		if err := s.promote(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "event.update", "event", id, map[string]any{"slug": e.Slug,
			"capacity": e.Capacity, "registration_state": e.RegistrationState})
	})
	return e, err
}

// SetRegistration changes an event's capacity and registration override (the
// quick controls on the event list and `attend event set`).
func (s *Service) SetRegistration(ctx context.Context, actor *auth.Principal, id int64, capacity *int, state, ip string) error {
	if !slices.Contains(RegistrationStates, state) {
		return &apperr.Invalid{Fields: map[string]string{"registration_state": "admin.error.state"}}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.Event(ctx, tx, id)
		if err != nil {
			return err
		}
		next := old
		next.Capacity, next.RegistrationState = capacity, state
		if err := s.refuseOpening(ctx, tx, old, next); err != nil {
			return err
		}
		if err := s.Store.SetEventSettings(ctx, tx, id, capacity, state); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"capacity": "admin.error.capacity_below"}}
			}
			return err
		}
		if err := s.promote(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "event.settings", "event", id, map[string]any{"capacity": capacity,
			"registration_state": state})
	})
}

// SetDayCapacities sets each day's own capacity (nil: the event's only).
func (s *Service) SetDayCapacities(ctx context.Context, actor *auth.Principal, id int64, caps map[string]string, ip string) error {
	return s.SetDays(ctx, actor, id, caps, nil, ip)
}

// DayTimes are a day's start and end times as the form gives them ("09:00").
type DayTimes struct{ Start, End string }

// SetDays sets each day's own capacity and, for the days times names, its
// start and end times in the event's time zone (both or neither).
func (s *Service) SetDays(ctx context.Context, actor *auth.Principal, id int64, caps map[string]string, times map[string]DayTimes, ip string) error {
	inv := &apperr.Invalid{}
	parsed := map[time.Time]*int{}
	for day, v := range caps {
		d, err := time.Parse("2006-01-02", day)
		if err != nil {
			inv.Add("day_"+day, "admin.error.date")
			continue
		}
		parsed[d] = ParseCapacity(inv, "day_"+day, v)
	}
	type span struct{ start, end *string }
	spans := map[time.Time]span{}
	for day, t := range times {
		d, err := time.Parse("2006-01-02", day)
		if err != nil {
			inv.Add("start_"+day, "admin.error.date")
			continue
		}
		start, end := clock(inv, "start_"+day, t.Start), clock(inv, "end_"+day, t.End)
		switch {
		case (start == nil) != (end == nil):
			inv.Add("end_"+day, "timetable.error.both")
		case start != nil && *end <= *start:
			inv.Add("end_"+day, "timetable.error.order")
		}
		spans[d] = span{start, end}
	}
	if err := inv.Err(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		for d, c := range parsed {
			if err := s.Store.SetEventDayCapacity(ctx, tx, id, d, c); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return &apperr.Invalid{Fields: map[string]string{"day_" + d.Format("2006-01-02"): "admin.error.capacity_below"}}
				}
				return err
			}
		}
		for d, sp := range spans {
			if err := s.Store.SetEventDayTimes(ctx, tx, id, d, sp.start, sp.end); err != nil {
				return err
			}
		}
		if err := s.promote(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "event.day_capacity", "event", id, map[string]any{"days": len(parsed)})
	})
}

// clock reads a wall-clock time "HH:MM" (empty: none).
func clock(inv *apperr.Invalid, field, v string) *string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		inv.Add(field, "timetable.error.time")
		return nil
	}
	out := t.Format("15:04")
	return &out
}

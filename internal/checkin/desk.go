package checkin

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
)

// Found is a desk search hit with whether the person is registered for
// today and already in.
type Found struct {
	Attendee
	RegisteredToday bool `json:"registered_today"`
	AdmittedToday   bool `json:"admitted_today"`
}

// Search finds an event's people by part of the name, the e-mail address or the ticket code.
func (s *Service) Search(ctx context.Context, eventID int64, text string, day time.Time) ([]Found, error) {
	text = strings.TrimSpace(text)
	if len([]rune(text)) < 2 || len(text) > 200 {
		return nil, &apperr.Invalid{Fields: map[string]string{"q": "door.error.query"}}
	}
	code, _ := ticketcode.NormalizeCode(text)
	ps, err := s.Store.SearchDoor(ctx, s.Store.DB, eventID, text, code, 25)
	if err != nil {
		return nil, err
	}
	in, err := s.Store.AdmittedOn(ctx, s.Store.DB, eventID, day)
	if err != nil {
		return nil, err
	}
	admitted := make(map[int64]bool, len(in))
	for _, id := range in {
		admitted[id] = true
	}
	out := make([]Found, 0, len(ps))
	for _, p := range ps {
		a := attendee(p)
		a.Status = string(p.Status)
		out = append(out, Found{Attendee: *a, RegisteredToday: slices.Contains(a.Days, day.Format(time.DateOnly)),
			AdmittedToday: admitted[p.RegistrationID]})
	}
	return out, nil
}

// Manual is an admission by hand at the desk (no ticket at hand).
type Manual struct {
	EventID        int64
	RegistrationID int64
	Reason         string
	// DayReason says why a person not registered for the day is admitted
	// anyway; without it such a person is not admitted.
	DayReason string
	ScanID    string // optional client id (offline desk admissions)
	At        time.Time
	Day       *time.Time // as Scan.Day: must be the day of At, if given
	Offline   bool
}

// AdmitManual admits a registered person found at the desk, with a reason.
func (s *Service) AdmitManual(ctx context.Context, p *auth.Principal, m Manual) (Result, error) {
	inv := &apperr.Invalid{}
	m.Reason = strings.TrimSpace(m.Reason)
	if m.Reason == "" {
		inv.Add("reason", "door.error.reason")
	} else if !plaintext.Valid(m.Reason, false) {
		inv.Add("reason", "door.error.text")
	} else if len([]rune(m.Reason)) > 300 {
		inv.Add("reason", "door.error.reason_long")
	}
	if m.DayReason = strings.TrimSpace(m.DayReason); len([]rune(m.DayReason)) > 300 {
		inv.Add("day_reason", "door.error.reason_long")
	}
	if m.ScanID == "" {
		m.ScanID = uuid.NewString()
	} else if u, err := uuid.Parse(m.ScanID); err != nil || len(m.ScanID) != 36 || u == uuid.Nil {
		inv.Add("scan_id", "door.error.scan_id")
	}
	var ok bool
	if m.At, ok = s.scanTime(m.At, m.Offline); !ok {
		inv.Add("scanned_at", "door.error.scanned_at")
	}
	if err := inv.Err(); err != nil {
		return Result{}, err
	}
	m.ScanID = strings.ToLower(m.ScanID)
	if r, ok, err := s.replay(ctx, p, m.ScanID, m.EventID); ok || err != nil {
		return r, err
	}
	ev, err := s.Store.Event(ctx, s.Store.DB, m.EventID)
	if err != nil {
		return Result{}, err
	}
	day, err := s.dayOf(ev, m.At, m.Day)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		person, err := s.Store.RegistrationPerson(ctx, tx, m.RegistrationID, ev.ID)
		if err != nil {
			return err
		}
		res = Result{Day: day.Format(time.DateOnly), ScanID: m.ScanID}
		registered := slices.Contains(person.Days, res.Day)
		reason := m.Reason
		if !registered && person.Status == store.StatusConfirmed {
			// Admitting someone on a day they did not register for is the
			// desk's call, but only with a reason said for it, kept in the log.
			if m.DayReason == "" {
				return &apperr.Invalid{Fields: map[string]string{"day_reason": "door.error.day_reason"}}
			}
			reason += "; not registered for this day: " + m.DayReason
		}
		if person.Status == store.StatusConfirmed {
			person.TicketRevokedAt = nil // the desk admits a confirmed person with or without a live ticket
		}
		a := store.Admission{EventID: ev.ID, RegistrationID: person.RegistrationID, Day: day, AdmittedAt: m.At,
			ScanID: &m.ScanID, Method: "manual"}
		actor(p, &a.DeviceID, &a.UserID)
		today := (registered || m.DayReason != "") && !day.Before(ev.FirstDay) && !day.After(ev.LastDay)
		res, err = s.admit(ctx, tx, person, today, false, a,
			Scan{ScanID: m.ScanID, ScannedAt: m.At, Method: "manual", Offline: m.Offline, Local: Admitted}, res)
		if err != nil {
			return err
		}
		row := store.Scan{
			ScanID: m.ScanID, EventID: ev.ID, Day: day, Method: "manual", Result: res.Result, Reason: reason,
			ScannedAt: m.At, Offline: m.Offline, TicketID: person.TicketID, RegistrationID: &person.RegistrationID,
		}
		actor(p, &row.DeviceID, &row.UserID)
		if err := s.logScan(ctx, tx, &row, &res); err != nil {
			return err
		}
		if res.Result == Admitted {
			// The reason itself may name the person: keep it in the scan log only.
			return audit.Log(ctx, s.Store, tx, audit.Entry{
				Actor: p, Action: "admission.manual", ObjectType: "registration", ObjectID: person.RegistrationID,
				Details: map[string]any{"event_id": ev.ID, "day": res.Day, "registered_for_day": registered},
			})
		}
		return nil
	})
	if err != nil && store.IsConstraint(err, "scans_scan_id_key") {
		if r, ok, rerr := s.replay(ctx, p, m.ScanID, m.EventID); ok || rerr != nil {
			return r, rerr
		}
	}
	return res, err
}

// Undo cancels a person's admission on a day (coordinators), logged and audited.
func (s *Service) Undo(ctx context.Context, p *auth.Principal, eventID, registrationID int64, day time.Time, reason string) error {
	reason = strings.TrimSpace(reason)
	if !plaintext.Valid(reason, false) {
		return &apperr.Invalid{Fields: map[string]string{"reason": "door.error.text"}}
	}
	if len([]rune(reason)) > 300 {
		return &apperr.Invalid{Fields: map[string]string{"reason": "door.error.reason_long"}}
	}
	if p == nil || !p.AtLeast(auth.RoleCoordinator) {
		return apperr.ErrForbidden
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.Store.RegistrationPerson(ctx, tx, registrationID, eventID); err != nil {
			return err
		}
		var by *int64
		if p.UserID != 0 {
			id := p.UserID
			by = &id
		}
		a, err := s.Store.UndoAdmission(ctx, tx, registrationID, day, by)
		if err != nil {
			return err
		}
		row := store.Scan{
			ScanID: uuid.NewString(), EventID: eventID, Day: day, Method: "undo", Result: Undone, Reason: reason,
			ScannedAt: s.Now(), RegistrationID: &registrationID,
		}
		actor(p, &row.DeviceID, &row.UserID)
		if err := s.logScan(ctx, tx, &row, &Result{Result: Undone, Day: day.Format(time.DateOnly), ScanID: row.ScanID}); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{
			Actor: p, Action: "admission.undo", ObjectType: "admission", ObjectID: a.ID,
			Details: map[string]any{"event_id": eventID, "registration_id": registrationID, "day": day.Format(time.DateOnly)},
		})
	})
}

// Counts are the live numbers of a day at the door.
type Counts struct {
	Day           string `json:"day"`
	Admitted      int    `json:"admitted"`
	Registered    int    `json:"registered"`
	Expected      int    `json:"expected"`
	DoubleEntries int    `json:"double_entries"`
	// CountsExits and Inside: on an event that counts exits, the people
	// admitted today who have not gone out.
	CountsExits bool        `json:"counts_exits"`
	Inside      *int        `json:"inside,omitempty"`
	PerDoor     []DoorCount `json:"per_door"`
}

// DoorCount is the admissions of one door; Door is empty for staff at the desk.
type DoorCount struct {
	DeviceID *int64 `json:"device_id"`
	Door     string `json:"door"`
	Admitted int    `json:"admitted"`
}

// Counts returns the live numbers of an event day.
func (s *Service) Counts(ctx context.Context, eventID int64, day time.Time) (Counts, error) {
	ev, err := s.event(ctx, eventID)
	if err != nil {
		return Counts{}, err
	}
	c, err := s.Store.DoorCounts(ctx, s.Store.DB, eventID, day)
	if err != nil {
		return Counts{}, err
	}
	per, err := s.Store.PerDoor(ctx, s.Store.DB, eventID, day)
	if err != nil {
		return Counts{}, err
	}
	out := Counts{Day: day.Format(time.DateOnly), Admitted: c.Admitted, Registered: c.Registered, Expected: c.Expected,
		DoubleEntries: c.DoubleEntries, CountsExits: ev.CountsExits, PerDoor: make([]DoorCount, 0, len(per))}
	if ev.CountsExits {
		out.Inside = &c.Inside
	}
	for _, d := range per {
		out.PerDoor = append(out.PerDoor, DoorCount{DeviceID: d.DeviceID, Door: d.Door, Admitted: d.Admitted})
	}
	return out, nil
}

// Today is the current event day in the event's time zone.
func (s *Service) Today(ev store.Event) time.Time { return LocalDay(ev, s.Now()) }

// EventFor loads an event whose door the caller may work now; another
// project's or another event's is not found.
func (s *Service) EventFor(ctx context.Context, p *auth.Principal, eventID int64) (store.Event, error) {
	ev, err := s.event(ctx, eventID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, apperr.ErrNotFound
	}
	if err != nil {
		return store.Event{}, err
	}
	if err := p.Check(auth.Work, auth.EventObject(ev), s.Now()); err != nil {
		return store.Event{}, err
	}
	return ev, nil
}

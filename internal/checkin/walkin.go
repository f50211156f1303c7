package checkin

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"golang.org/x/text/language"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

// WalkIn is a person registered at the door, admitted at once.
type WalkIn struct {
	EventID       int64
	FirstName     string
	LastName      string
	Email         string // optional: the ticket is e-mailed when given
	Country       string
	City          string
	Organisation  string
	Participation string // local | invited | other
	Consent       bool   // accepted the privacy notice
	Language      string
	ScanID        string // optional client id, makes a retried submit idempotent
}

func (w *WalkIn) check() error {
	inv := &apperr.Invalid{}
	w.FirstName, w.LastName = strings.TrimSpace(w.FirstName), strings.TrimSpace(w.LastName)
	w.Email, w.City, w.Organisation = strings.TrimSpace(w.Email), strings.TrimSpace(w.City), strings.TrimSpace(w.Organisation)
	w.Country = strings.ToUpper(strings.TrimSpace(w.Country))
	for field, v := range map[string]string{"first_name": w.FirstName, "last_name": w.LastName, "email": w.Email,
		"city": w.City, "organisation": w.Organisation, "country": w.Country} {
		if !plaintext.Valid(v, false) {
			inv.Add(field, "door.error.text")
		}
	}
	if w.FirstName == "" || len([]rune(w.FirstName)) > 100 {
		inv.Add("first_name", "door.error.first_name")
	}
	if w.LastName == "" || len([]rune(w.LastName)) > 100 {
		inv.Add("last_name", "door.error.last_name")
	}
	if w.Email != "" {
		if a, err := mail.ParseAddress(w.Email); err != nil || a.Address != w.Email || len(w.Email) > 254 {
			inv.Add("email", "door.error.email")
		}
	}
	if r, err := language.ParseRegion(w.Country); err != nil || len(w.Country) != 2 || !r.IsCountry() {
		inv.Add("country", "door.error.country")
	}
	if len([]rune(w.City)) > 100 {
		inv.Add("city", "door.error.too_long")
	}
	if len([]rune(w.Organisation)) > 200 {
		inv.Add("organisation", "door.error.too_long")
	}
	switch w.Participation {
	case "local", "invited", "other":
	default:
		inv.Add("participation", "door.error.participation")
	}
	if !w.Consent {
		inv.Add("consent", "door.error.consent")
	}
	if w.ScanID == "" {
		w.ScanID = uuid.NewString()
	} else if u, err := uuid.Parse(w.ScanID); err != nil || len(w.ScanID) != 36 || u == uuid.Nil {
		inv.Add("scan_id", "door.error.scan_id")
	}
	w.ScanID = strings.ToLower(w.ScanID)
	if w.Language == "" {
		w.Language = "en"
	}
	return inv.Err()
}

// RegisterWalkIn registers a person at the door for today, confirmed, and
// admits them in the same transaction. With an e-mail address the ticket
// follows by e-mail (n.Confirmed writes the outbox row in this transaction);
// without one a ticket is issued for the desk to print or show.
func (s *Service) RegisterWalkIn(ctx context.Context, p *auth.Principal, n notify.Notifier, w WalkIn) (Result, error) {
	if err := w.check(); err != nil {
		return Result{}, err
	}
	if r, ok, err := s.replay(ctx, p, w.ScanID, w.EventID); ok || err != nil {
		return r, err
	}
	ev, err := s.Store.Event(ctx, s.Store.DB, w.EventID)
	if err != nil {
		return Result{}, err
	}
	now := s.Now()
	day := LocalDay(ev, now)
	if day.Before(ev.FirstDay) || day.After(ev.LastDay) {
		return Result{}, &apperr.Invalid{Fields: map[string]string{"event": "door.error.not_event_day"}}
	}
	var res Result
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r := store.Registration{
			EventID: ev.ID, Status: store.StatusConfirmed, FirstName: w.FirstName, LastName: w.LastName,
			Country: w.Country, City: w.City, Organisation: w.Organisation, Participation: store.Participation(w.Participation),
			Language: w.Language, Source: "walkin", ConfirmedAt: &now, PrivacyAcceptedAt: &now, CreatedAt: now,
		}
		if w.Email != "" {
			r.Email = &w.Email
		}
		var version *int
		if notice, err := s.Store.CurrentPrivacyNotice(ctx, tx, ev.ProjectID, w.Language); err == nil {
			r.PrivacyNoticeID, version = &notice.ID, &notice.Version
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := s.Store.InsertRegistration(ctx, tx, &r, []time.Time{day}); err != nil {
			if store.IsConstraint(err, "registrations_event_email") {
				return &apperr.Invalid{Fields: map[string]string{"email": "door.error.email_taken"}}
			}
			return err
		}
		if err := s.Store.RecordWalkInConsent(ctx, tx, r.ID, version); err != nil {
			return err
		}
		if err := s.Store.TakeWalkInSeat(ctx, tx, ev.ID, day); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"event": "door.error.full"}}
			}
			return err
		}
		if w.Email != "" {
			if err := n.Confirmed(ctx, tx, notify.Notice{Registration: r, Event: ev, Days: []time.Time{day}}); err != nil {
				return err
			}
		} else if _, err := s.Tickets.Issue(ctx, tx, r.ID, "walk-in"); err != nil {
			return err
		}
		person, err := s.Store.RegistrationPerson(ctx, tx, r.ID, ev.ID)
		if err != nil {
			return err
		}
		res = Result{Day: day.Format(time.DateOnly), ScanID: w.ScanID}
		a := store.Admission{EventID: ev.ID, RegistrationID: r.ID, Day: day, AdmittedAt: now, ScanID: &w.ScanID, Method: "walkin"}
		actor(p, &a.DeviceID, &a.UserID)
		if res, err = s.admitOnce(ctx, tx, a, Scan{ScanID: w.ScanID, ScannedAt: now, Method: "walkin"}, res, false); err != nil {
			return err
		}
		res.Attendee = attendee(person)
		row := store.Scan{
			ScanID: w.ScanID, EventID: ev.ID, Day: day, Method: "walkin", Result: res.Result, ScannedAt: now,
			TicketID: person.TicketID, RegistrationID: &r.ID,
		}
		actor(p, &row.DeviceID, &row.UserID)
		if err := s.logScan(ctx, tx, &row, &res); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{
			Actor: p, Action: "registration.walkin", ObjectType: "registration", ObjectID: r.ID,
			Details: map[string]any{"event_id": ev.ID, "day": res.Day, "email": w.Email != ""},
		})
	})
	if err != nil && store.IsConstraint(err, "scans_scan_id_key") {
		if r, ok, rerr := s.replay(ctx, p, w.ScanID, w.EventID); ok || rerr != nil {
			return r, rerr
		}
	}
	return res, err
}

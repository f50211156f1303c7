package registration

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
)

// maxReason bounds the reason staff give for registering someone, in characters.
const maxReason = 500

// AlreadyRegistered refuses a registration by staff for an address the
// event already has; ID is that registration, which staff may open. It is a
// conflict (errors.Is(err, apperr.ErrConflict)).
type AlreadyRegistered struct {
	ID int64
}

func (e *AlreadyRegistered) Error() string {
	return fmt.Sprintf("address already registered (registration %d)", e.ID)
}

// Is makes the refusal a conflict for the one error mapping.
func (e *AlreadyRegistered) Is(target error) bool { return target == apperr.ErrConflict }

// StaffRegistration is what RegisterByStaff made.
type StaffRegistration struct {
	Registration store.Registration
	// Emailed: the ticket (or the waiting-list message) was queued for the person.
	Emailed bool
}

// RegisterByStaff registers a person on their behalf from the back office:
// the public form's answers (the e-mail address optional unless the ticket is
// e-mailed), confirmed at once without the e-mail round trip, or waitlisted
// when the event or a chosen day is full. The ticket is issued; it is e-mailed
// only when sendTicket is set and never for an event that is over (a record
// of history), else staff print it. The registration window does not apply
// to staff. reason (required) goes into the audit entry.
func (s *Service) RegisterByStaff(ctx context.Context, actor *auth.Principal, eventSlug string, in Input, reason string, sendTicket bool) (StaffRegistration, error) {
	var out StaffRegistration
	if actor == nil || actor.UserID == 0 {
		return out, apperr.ErrForbidden
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, eventSlug)
	if err != nil {
		return out, err
	}
	now := s.Now()
	if err := actor.Check(auth.Manage, auth.EventObject(e), now); err != nil {
		return out, err
	}
	over := eventOver(e, now)
	send := sendTicket && !over
	partners, err := s.Store.Partners(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return out, err
	}
	qs, err := s.Store.Questions(ctx, s.Store.DB, e.ID)
	if err != nil {
		return out, err
	}
	inv := &apperr.Invalid{}
	d := s.validate(inv, e, partners, qs, in, actor.Language, false)
	email := cleanEmail(inv, "email", in.Email, send)
	d.days = parseDays(inv, "days", e, in.Days)
	if !in.PrivacyAccepted {
		inv.Add("privacy_notice_accepted", errPrivacy)
	}
	reason = cleanText(inv, "reason", reason, maxReason, true, true)
	if err := inv.Err(); err != nil {
		return out, err
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r := d.reg
		if email != "" {
			if old, err := s.Store.RegistrationByEmail(ctx, tx, e.ID, email); err == nil {
				return &AlreadyRegistered{ID: old.ID}
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			r.Email = &email
		}
		var version *int
		if notice, err := s.Store.CurrentPrivacyNotice(ctx, tx, e.ProjectID, r.Language); err == nil {
			r.PrivacyNoticeID, version = &notice.ID, &notice.Version
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		r.Status = store.StatusPending
		r.Source = "admin"
		r.PrivacyAcceptedAt = &now
		r.ManageNonce = newNonce()
		r.CreatedAt = now
		if err := s.Store.InsertRegistration(ctx, tx, &r, d.days); err != nil {
			if store.IsConstraint(err, "registrations_event_email") {
				old, lerr := s.Store.RegistrationByEmail(ctx, tx, e.ID, email)
				if lerr != nil {
					return apperr.ErrConflict
				}
				return &AlreadyRegistered{ID: old.ID}
			}
			return err
		}
		if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, d.asked, d.answers); err != nil {
			return err
		}
		if version != nil {
			if err := s.recordConsents(ctx, tx, r.ID, *version, in, true); err != nil {
				return err
			}
		}
		ok, err := s.takeSeat(ctx, tx, e.ID, d.days)
		if err != nil {
			return err
		}
		status := store.StatusWaitlisted
		if ok {
			status = store.StatusConfirmed
		}
		if r, err = s.Store.SetRegistrationStatus(ctx, tx, r.ID, status); err != nil {
			return err
		}
		n := notify.Notice{Registration: r, Event: e, Days: d.days}
		if send {
			if n, err = s.notice(ctx, tx, r, e); err != nil {
				return err
			}
		}
		switch {
		case status == store.StatusConfirmed && send:
			err = s.Notify.Confirmed(ctx, tx, n)
		case status == store.StatusConfirmed:
			err = s.Notify.Issued(ctx, tx, n)
		case send:
			err = s.Notify.Waitlisted(ctx, tx, n)
		}
		if err != nil {
			return err
		}
		out = StaffRegistration{Registration: r, Emailed: send}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: actor, Action: "registration.create_by_staff",
			ObjectType: "registration", ObjectID: r.ID, Details: map[string]any{
				"event_id": e.ID, "status": status, "reason": reason, "ticket_emailed": send, "event_over": over,
			}})
	})
	return out, err
}

// StaffChange is a change of a registration by staff: the details (nil: keep
// them) and the days (nil: keep them).
type StaffChange struct {
	Details *Input
	Days    []string
}

// ChangeByStaff applies a change of details and days in one transaction, so
// that a refused part leaves the other unsaved; the person is sent one
// message with the re-issued ticket when confirmed.
func (s *Service) ChangeByStaff(ctx context.Context, registrationID int64, ch StaffChange, actor *auth.Principal) (store.Registration, error) {
	var r store.Registration
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if ch.Days != nil {
			if r, err = s.changeDays(ctx, tx, registrationID, ch.Days, actor, ch.Details == nil); err != nil {
				return err
			}
		}
		if ch.Details != nil {
			if r, err = s.updateDetails(ctx, tx, registrationID, *ch.Details, actor, true); err != nil {
				return err
			}
		}
		if ch.Days == nil && ch.Details == nil {
			if r, err = s.Store.LockRegistration(ctx, tx, registrationID); err != nil {
				return err
			}
			e, err := s.Store.Event(ctx, tx, r.EventID)
			if err != nil {
				return err
			}
			return s.changeable(r, e, actor)
		}
		r, err = s.Store.Registration(ctx, tx, registrationID)
		return err
	})
	return r, err
}

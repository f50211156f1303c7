package registration

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// Cancel cancels a registration: its seats go back, the next people on the
// waiting list who fit are promoted and told, all in one transaction. actor is
// the staff member doing it, or nil for the participant's own link. Cancelling
// twice is harmless. Participants cannot cancel once the event is over.
func (s *Service) Cancel(ctx context.Context, registrationID int64, actor *auth.Principal) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.Store.LockRegistration(ctx, tx, registrationID)
		if err != nil {
			return err
		}
		if r.Status == store.StatusCancelled {
			return nil
		}
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if actor == nil && eventOver(e, s.Now()) {
			return apperr.ErrClosed
		}
		prev := r.Status
		if prev == store.StatusConfirmed {
			days, err := s.Store.RegistrationDays(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			if err := s.releaseSeat(ctx, tx, e.ID, days); err != nil {
				return err
			}
		}
		if r, err = s.Store.SetRegistrationStatus(ctx, tx, r.ID, store.StatusCancelled); err != nil {
			return err
		}
		n, err := s.notice(ctx, tx, r, e)
		if err != nil {
			return err
		}
		n.To = s.delegationRecipient(ctx, tx, r)
		if err := s.Notify.Cancelled(ctx, tx, n); err != nil {
			return err
		}
		if err := s.log(ctx, tx, actor, "registration.cancel", r.ID, map[string]any{"from": prev, "event_id": e.ID}); err != nil {
			return err
		}
		if prev == store.StatusConfirmed {
			_, err = s.PromoteTx(ctx, tx, e.ID)
		}
		return err
	})
}

// Promote moves people from the event's waiting list into free seats, in
// waiting-list order, and tells them (after a cancellation or a capacity rise).
func (s *Service) Promote(ctx context.Context, eventID int64, actor *auth.Principal) (int, error) {
	var n int
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if n, err = s.PromoteTx(ctx, tx, eventID); err != nil {
			return err
		}
		if actor != nil && n > 0 {
			return s.log(ctx, tx, actor, "registration.promote", eventID, map[string]any{"promoted": n})
		}
		return nil
	})
	return n, err
}

// promoteBatch bounds the waiting-list rows one promotion locks.
const promoteBatch = 1000

// PromoteTx is Promote inside the caller's transaction (e.g. the one that
// raised the capacity), so that no new confirmation can take the freed seats
// before the people waiting. It stops when the event is full; someone whose
// chosen day is full is passed over and keeps their place.
func (s *Service) PromoteTx(ctx context.Context, tx *sqlx.Tx, eventID int64) (int, error) {
	list, err := s.Store.WaitlistForUpdate(ctx, tx, eventID, promoteBatch)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	e, err := s.Store.Event(ctx, tx, eventID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, w := range list {
		ok, err := s.Store.TakeEventSeat(ctx, tx, eventID)
		if err != nil {
			return n, err
		}
		if !ok {
			break
		}
		days, err := s.Store.RegistrationDays(ctx, tx, w.ID)
		if err != nil {
			return n, err
		}
		if ok, err = s.Store.TakeDaySeats(ctx, tx, eventID, days); err != nil {
			return n, err
		}
		if !ok {
			if err := s.Store.ReleaseEventSeat(ctx, tx, eventID); err != nil {
				return n, err
			}
			continue
		}
		r, err := s.Store.SetRegistrationStatus(ctx, tx, w.ID, store.StatusConfirmed)
		if err != nil {
			return n, err
		}
		note, err := s.notice(ctx, tx, r, e)
		if err != nil {
			return n, err
		}
		note.To = s.delegationRecipient(ctx, tx, r)
		if err := s.Notify.Promoted(ctx, tx, note); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ResendTicket sends a confirmed registration's ticket again.
func (s *Service) ResendTicket(ctx context.Context, registrationID int64, actor *auth.Principal) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.Store.LockRegistration(ctx, tx, registrationID)
		if err != nil {
			return err
		}
		if r.Status != store.StatusConfirmed || r.AnonymisedAt != nil {
			return apperr.ErrConflict // nobody to send it to; an erased person gets no new ticket
		}
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		n, err := s.notice(ctx, tx, r, e)
		if err != nil {
			return err
		}
		n.To = s.delegationRecipient(ctx, tx, r)
		if err := s.Notify.Confirmed(ctx, tx, n); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, "registration.resend_ticket", r.ID, nil)
	})
}

// delegationRecipient is the coordinator's address for delegation members
// without their own, else "" (the person's own address).
func (s *Service) delegationRecipient(ctx context.Context, q sqlx.QueryerContext, r store.Registration) string {
	if r.Email != nil || r.DelegationID == nil || r.AnonymisedAt != nil {
		return ""
	}
	d, err := s.Store.Delegation(ctx, q, *r.DelegationID)
	if err != nil || d.CreatedBy == nil {
		return ""
	}
	u, err := s.Store.User(ctx, q, *d.CreatedBy)
	if err != nil {
		return ""
	}
	return u.Email
}

// log audits a change; a nil actor is the participant using their private link.
func (s *Service) log(ctx context.Context, q sqlx.ExtContext, actor *auth.Principal, action string, id int64, details map[string]any) error {
	e := audit.Entry{Actor: actor, Action: action, ObjectType: "registration", ObjectID: id, Details: details}
	if actor == nil {
		e.ActorLabel = "participant"
	}
	if action == "registration.promote" {
		e.ObjectType = "event"
	}
	return audit.Log(ctx, s.Store, q, e)
}

package registration

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// ChangeDays sets the days a registration covers. A confirmed person keeps
// their seat and takes one on each added day (refused when a day is full); a
// freed day may let someone from the waiting list in. The ticket is re-issued.
func (s *Service) ChangeDays(ctx context.Context, registrationID int64, days []string, actor *auth.Principal) (store.Registration, error) {
	var r store.Registration
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		r, err = s.changeDays(ctx, tx, registrationID, days, actor, true)
		return err
	})
	return r, err
}

// changeDays is ChangeDays in the caller's transaction; tell says whether a
// confirmed person is sent the re-issued ticket (false when another change in
// the same transaction sends it).
func (s *Service) changeDays(ctx context.Context, tx *sqlx.Tx, registrationID int64, days []string, actor *auth.Principal, tell bool) (store.Registration, error) {
	r, err := s.Store.LockRegistration(ctx, tx, registrationID)
	if err != nil {
		return r, err
	}
	err = func() error {
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if err := s.changeable(r, e, actor); err != nil {
			return err
		}
		if days == nil {
			days = []string{}
		}
		inv := &apperr.Invalid{}
		next := parseDays(inv, "days", e, days)
		if err := inv.Err(); err != nil {
			return err
		}
		prev, err := s.Store.RegistrationDays(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		added, removed := diffDays(prev, next)
		if len(added) == 0 && len(removed) == 0 {
			return nil
		}
		if r.Status == store.StatusConfirmed {
			if err := s.Store.LockEventSeats(ctx, tx, e.ID); err != nil {
				return err
			}
			ok, err := s.Store.TakeDaySeats(ctx, tx, e.ID, added)
			if err != nil {
				return err
			}
			if !ok {
				return &apperr.Invalid{Fields: map[string]string{"days": errDayFull}}
			}
			if err := s.Store.ReleaseDaySeats(ctx, tx, e.ID, removed); err != nil {
				return err
			}
		}
		if err := s.Store.SetRegistrationDays(ctx, tx, r.ID, e.ID, next); err != nil {
			return err
		}
		if err := s.log(ctx, tx, actor, "registration.change_days", r.ID, map[string]any{"days": len(next)}); err != nil {
			return err
		}
		if r.Status == store.StatusConfirmed && tell {
			n, err := s.notice(ctx, tx, r, e)
			if err != nil {
				return err
			}
			n.To = s.delegationRecipient(ctx, tx, r)
			if err := s.Notify.Changed(ctx, tx, n); err != nil {
				return err
			}
		}
		if r.Status == store.StatusConfirmed && len(removed) > 0 {
			_, err = s.PromoteTx(ctx, tx, e.ID)
		}
		return err
	}()
	return r, err
}

// UpdateDetails changes the person's details (names, contact, country, city,
// organisation, participation, needs, language, optional answers). The e-mail
// address is the registration's identity and is not changed here.
func (s *Service) UpdateDetails(ctx context.Context, registrationID int64, in Input, actor *auth.Principal) (store.Registration, error) {
	var r store.Registration
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		r, err = s.updateDetails(ctx, tx, registrationID, in, actor, true)
		return err
	})
	return r, err
}

// updateDetails is UpdateDetails in the caller's transaction; tell as for changeDays.
func (s *Service) updateDetails(ctx context.Context, tx *sqlx.Tx, registrationID int64, in Input, actor *auth.Principal, tell bool) (store.Registration, error) {
	r, err := s.Store.LockRegistration(ctx, tx, registrationID)
	if err != nil {
		return r, err
	}
	err = func() error {
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if err := s.changeable(r, e, actor); err != nil {
			return err
		}
		partners, err := s.Store.Partners(ctx, tx, e.ProjectID)
		if err != nil {
			return err
		}
		qs, err := s.Store.Questions(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		inv := &apperr.Invalid{}
		d := s.validate(inv, e, partners, qs, in, r.Language, false)
		if err := inv.Err(); err != nil {
			return err
		}
		next := d.reg
		next.ID, next.PrivacyNoticeID, next.PrivacyAcceptedAt = r.ID, r.PrivacyNoticeID, r.PrivacyAcceptedAt
		if err := s.Store.UpdateRegistrationDetails(ctx, tx, &next); err != nil {
			return err
		}
		if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, d.asked, d.answers); err != nil {
			return err
		}
		for _, c := range []struct {
			kind     string
			was, now bool
		}{
			{"age_band", r.AgeBand != "", next.AgeBand != ""},
			{"gender", r.Gender != "", next.Gender != ""},
			{"photos", r.PhotoConsent, next.PhotoConsent},
		} {
			if c.was != c.now {
				if err := s.Store.InsertConsent(ctx, tx, r.ID, c.kind, c.now, nil); err != nil {
					return err
				}
			}
		}
		if r, err = s.Store.Registration(ctx, tx, r.ID); err != nil {
			return err
		}
		if err := s.log(ctx, tx, actor, "registration.change_details", r.ID, nil); err != nil {
			return err
		}
		if r.Status != store.StatusConfirmed || !tell {
			return nil
		}
		n, err := s.notice(ctx, tx, r, e)
		if err != nil {
			return err
		}
		n.To = s.delegationRecipient(ctx, tx, r)
		return s.Notify.Changed(ctx, tx, n)
	}()
	return r, err
}

// changeable refuses changes to cancelled registrations, and participants'
// own changes once the event is over.
func (s *Service) changeable(r store.Registration, e store.Event, actor *auth.Principal) error {
	// An anonymised row is a restricted record kept as evidence: it is not
	// changed, and no new ticket or message may come of it.
	if r.Status == store.StatusCancelled || r.AnonymisedAt != nil {
		return apperr.ErrConflict
	}
	if actor == nil && eventOver(e, s.Now()) {
		return apperr.ErrClosed
	}
	return nil
}

func diffDays(prev, next []time.Time) (added, removed []time.Time) {
	has := func(list []time.Time, d time.Time) bool {
		return slices.ContainsFunc(list, func(x time.Time) bool { return x.Format(time.DateOnly) == d.Format(time.DateOnly) })
	}
	for _, d := range next {
		if !has(prev, d) {
			added = append(added, d)
		}
	}
	for _, d := range prev {
		if !has(next, d) {
			removed = append(removed, d)
		}
	}
	return added, removed
}

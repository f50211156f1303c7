package registration

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// byConfirmToken finds the registration a confirmation token belongs to.
func (s *Service) byConfirmToken(ctx context.Context, token string) (store.Registration, error) {
	token = strings.ToLower(strings.TrimSpace(token))
	if token == "" || len(token) > 64 {
		return store.Registration{}, apperr.ErrNotFound
	}
	return s.Store.RegistrationByConfirmHash(ctx, s.Store.DB, hashToken(token))
}

// Confirmation reads the registration a confirmation link belongs to and
// changes nothing: opening the link only shows a page, since mail scanners
// open links too. A pending registration whose link has expired comes back
// with ErrExpired.
func (s *Service) Confirmation(ctx context.Context, token string) (store.Registration, error) {
	r, err := s.byConfirmToken(ctx, token)
	if err != nil {
		return store.Registration{}, err
	}
	if r.Status == store.StatusPending && r.ConfirmExpiresAt != nil && s.Now().After(*r.ConfirmExpiresAt) {
		return r, ErrExpired
	}
	return r, nil
}

// Confirm is the person's answer to a confirmation link: a pending
// registration takes a seat and becomes confirmed (ticket e-mail) or joins the
// waiting list. Confirming again returns the registration unchanged. An
// expired link returns the registration with ErrExpired.
func (s *Service) Confirm(ctx context.Context, token string) (store.Registration, error) {
	found, err := s.byConfirmToken(ctx, token)
	if err != nil {
		return store.Registration{}, err
	}
	var r store.Registration
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		r, err = s.Store.LockRegistration(ctx, tx, found.ID)
		if err != nil {
			return err
		}
		if r.Status != store.StatusPending {
			return nil
		}
		if r.ConfirmExpiresAt != nil && s.Now().After(*r.ConfirmExpiresAt) {
			return ErrExpired
		}
		r, err = s.seatOrWaitlist(ctx, tx, r, "")
		return err
	})
	return r, err
}

// seatOrWaitlist confirms a pending registration if a seat is free on the
// event and every chosen day, else puts it on the waiting list, and sends the
// matching message. r must be locked by tx.
//
// While places are left the seat is taken last. Its row (the event's seat
// counter, which everyone confirming at once must update) then stays locked
// only until the commit, not while the ticket is signed and the e-mail
// written: the confirmation is written first as if a seat were free, and
// undone back to a savepoint when none is. Once the event looks full, the
// seat is tried first, so that the many who then join the waiting list do
// not sign tickets for nothing. Either way the conditional update of the
// counter decides.
func (s *Service) seatOrWaitlist(ctx context.Context, tx *sqlx.Tx, r store.Registration, to string) (store.Registration, error) {
	e, err := s.Store.Event(ctx, tx, r.EventID)
	if err != nil {
		return r, err
	}
	days, err := s.Store.RegistrationDays(ctx, tx, r.ID)
	if err != nil {
		return r, err
	}
	if left := e.PlacesLeft(); left != nil && *left == 0 {
		ok, err := s.takeSeat(ctx, tx, e.ID, days)
		if err != nil {
			return r, err
		}
		status := store.StatusWaitlisted
		if ok {
			status = store.StatusConfirmed
		}
		return s.settle(ctx, tx, r, e, status, to)
	}
	var confirmed store.Registration
	ok, err := s.Store.Attempt(ctx, tx, func() (bool, error) {
		var err error
		if confirmed, err = s.settle(ctx, tx, r, e, store.StatusConfirmed, to); err != nil {
			return false, err
		}
		return s.takeSeat(ctx, tx, e.ID, days)
	})
	if err != nil || ok {
		return confirmed, err
	}
	return s.settle(ctx, tx, r, e, store.StatusWaitlisted, to)
}

// settle gives r its new status and sends the matching message (confirmed:
// the ticket).
func (s *Service) settle(ctx context.Context, tx *sqlx.Tx, r store.Registration, e store.Event, status store.Status, to string) (store.Registration, error) {
	r, err := s.Store.SetRegistrationStatus(ctx, tx, r.ID, status)
	if err != nil {
		return r, err
	}
	n, err := s.notice(ctx, tx, r, e)
	if err != nil {
		return r, err
	}
	n.To = to
	if status == store.StatusConfirmed {
		return r, s.Notify.Confirmed(ctx, tx, n)
	}
	return r, s.Notify.Waitlisted(ctx, tx, n)
}

// ResendConfirmation sends a new confirmation link for the registration an
// (expired) confirmation token belongs to.
func (s *Service) ResendConfirmation(ctx context.Context, token string) error {
	r, err := s.byConfirmToken(ctx, token)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.Store.LockRegistration(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if r.Status != store.StatusPending {
			return nil
		}
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		return s.newConfirmLink(ctx, tx, r, e)
	})
}

// eventOver reports whether e's last day has ended in its time zone.
func eventOver(e store.Event, now time.Time) bool {
	loc := e.Location()
	end := time.Date(e.LastDay.Year(), e.LastDay.Month(), e.LastDay.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	return !now.Before(end)
}

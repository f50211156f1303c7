package registration

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// Register records a registration as pending and sends the confirmation link.
// The same address again for the same event creates nothing new: the person
// gets their link again (a fresh confirmation link while still pending, the
// private link otherwise), and the caller gets the same answer either way.
// A filled honeypot gets the usual answer and stores nothing.
func (s *Service) Register(ctx context.Context, eventSlug string, in Input, requestLang string) (Result, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, eventSlug)
	if err != nil {
		return Result{}, err
	}
	if !e.RegistrationOpen(s.Now()) {
		return Result{}, apperr.ErrClosed
	}
	// Without a published privacy notice registration has not opened (the
	// set-up checklist says so to the staff): closed, never not found.
	if _, err := s.Store.CurrentPrivacyNotice(ctx, s.Store.DB, e.ProjectID, "en"); errors.Is(err, store.ErrNotFound) {
		return Result{}, apperr.ErrClosed
	} else if err != nil {
		return Result{}, err
	}
	partners, err := s.Store.Partners(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return Result{}, err
	}
	qs, err := s.Store.Questions(ctx, s.Store.DB, e.ID)
	if err != nil {
		return Result{}, err
	}
	inv := &apperr.Invalid{}
	d := s.validate(inv, e, partners, qs, in, requestLang, true)
	if err := inv.Err(); err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(in.Website) != "" {
		return Result{Status: store.StatusPending}, nil
	}
	source := in.Source
	if source == "" {
		source = "web"
	}
	var res Result
	register := func() error {
		return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
			var err error
			res, err = s.register(ctx, tx, e, d, in, source)
			return err
		})
	}
	err = register()
	// Two requests with one address at once: the loser of the unique index
	// finds the winner's registration on the second try.
	if err != nil && store.IsConstraint(err, "registrations_event_email") {
		err = register()
	}
	return res, err
}

func (s *Service) register(ctx context.Context, tx *sqlx.Tx, e store.Event, d details, in Input, source string) (Result, error) {
	existing, err := s.Store.RegistrationByEmail(ctx, tx, e.ID, *d.reg.Email)
	switch {
	case err == nil:
		return s.again(ctx, tx, e, existing, d, in)
	case !errors.Is(err, store.ErrNotFound):
		return Result{}, err
	}
	notice, err := s.Store.CurrentPrivacyNotice(ctx, tx, e.ProjectID, d.reg.Language)
	if err != nil {
		return Result{}, err
	}
	now := s.Now()
	token, hash := newToken()
	expires := now.Add(s.ConfirmTTL)
	r := d.reg
	r.Status = store.StatusPending
	r.Source = source
	r.PrivacyNoticeID, r.PrivacyAcceptedAt = &notice.ID, &now
	r.ManageNonce = newNonce()
	r.ConfirmTokenHash, r.ConfirmExpiresAt = hash, &expires
	r.CreatedAt = now
	if err := s.Store.InsertRegistration(ctx, tx, &r, d.days); err != nil {
		return Result{}, err
	}
	if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, d.asked, d.answers); err != nil {
		return Result{}, err
	}
	if err := s.recordConsents(ctx, tx, r.ID, notice.Version, in, true); err != nil {
		return Result{}, err
	}
	if err := s.sendConfirm(ctx, tx, r, e, token); err != nil {
		return Result{}, err
	}
	return Result{Status: store.StatusPending}, nil
}

// again handles a second registration with a known address.
func (s *Service) again(ctx context.Context, tx *sqlx.Tx, e store.Event, r store.Registration, d details, in Input) (Result, error) {
	r, err := s.Store.LockRegistration(ctx, tx, r.ID)
	if err != nil {
		return Result{}, err
	}
	res := Result{Status: store.StatusPending}
	switch r.Status {
	case store.StatusPending:
		return res, s.newConfirmLink(ctx, tx, r, e)
	case store.StatusCancelled:
		// Registering again after cancelling reopens the registration with the
		// new answers; it waits for confirmation like a new one.
		notice, err := s.Store.CurrentPrivacyNotice(ctx, tx, e.ProjectID, d.reg.Language)
		if err != nil {
			return Result{}, err
		}
		now := s.Now()
		nr := d.reg
		nr.ID, nr.PrivacyNoticeID, nr.PrivacyAcceptedAt = r.ID, &notice.ID, &now
		if err := s.Store.UpdateRegistrationDetails(ctx, tx, &nr); err != nil {
			return Result{}, err
		}
		if err := s.Store.SetRegistrationDays(ctx, tx, r.ID, e.ID, d.days); err != nil {
			return Result{}, err
		}
		if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, d.asked, d.answers); err != nil {
			return Result{}, err
		}
		if r, err = s.Store.SetRegistrationStatus(ctx, tx, r.ID, store.StatusPending); err != nil {
			return Result{}, err
		}
		if err := s.recordConsents(ctx, tx, r.ID, notice.Version, in, true); err != nil {
			return Result{}, err
		}
		return res, s.newConfirmLink(ctx, tx, r, e)
	}
	n, err := s.notice(ctx, tx, r, e)
	if err != nil {
		return Result{}, err
	}
	return res, s.Notify.ManageLink(ctx, tx, n)
}

func (s *Service) recordConsents(ctx context.Context, q sqlx.ExtContext, id int64, version int, in Input, privacy bool) error {
	v := &version
	if privacy {
		if err := s.Store.InsertConsent(ctx, q, id, "privacy_notice", true, v); err != nil {
			return err
		}
	}
	if in.StatsConsent {
		if in.AgeBand != "" {
			if err := s.Store.InsertConsent(ctx, q, id, "age_band", true, v); err != nil {
				return err
			}
		}
		if in.Gender != "" {
			if err := s.Store.InsertConsent(ctx, q, id, "gender", true, v); err != nil {
				return err
			}
		}
	}
	if in.PhotoConsent {
		return s.Store.InsertConsent(ctx, q, id, "photos", true, v)
	}
	return nil
}

// newConfirmLink replaces the confirmation link (old ones stop working) and sends it.
func (s *Service) newConfirmLink(ctx context.Context, q sqlx.ExtContext, r store.Registration, e store.Event) error {
	token, hash := newToken()
	if err := s.Store.SetConfirmToken(ctx, q, r.ID, hash, s.Now().Add(s.ConfirmTTL)); err != nil {
		return err
	}
	return s.sendConfirm(ctx, q, r, e, token)
}

func (s *Service) sendConfirm(ctx context.Context, q sqlx.ExtContext, r store.Registration, e store.Event, token string) error {
	n, err := s.notice(ctx, q, r, e)
	if err != nil {
		return err
	}
	lang := MatchLanguage(r.Language)
	n.ConfirmURL = s.BaseURL + "/" + lang + "/confirm/" + token
	return s.Notify.Confirm(ctx, q, n)
}

// ResendLink sends the person registered with email for the event their link
// again: a new confirmation link while pending, the private link otherwise.
// Unknown addresses get no message and the same (nil) answer.
func (s *Service) ResendLink(ctx context.Context, eventSlug, email string) error {
	inv := &apperr.Invalid{}
	email = cleanEmail(inv, "email", email, true)
	if err := inv.Err(); err != nil {
		return err
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, eventSlug)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.Store.RegistrationByEmail(ctx, tx, e.ID, email)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if r, err = s.Store.LockRegistration(ctx, tx, r.ID); err != nil {
			return err
		}
		if r.AnonymisedAt != nil {
			return nil
		}
		if r.Status == store.StatusPending {
			return s.newConfirmLink(ctx, tx, r, e)
		}
		n, err := s.notice(ctx, tx, r, e)
		if err != nil {
			return err
		}
		return s.Notify.ManageLink(ctx, tx, n)
	})
}

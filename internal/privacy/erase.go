package privacy

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
)

// ErasedMailKind is the outbox kind of the erasure confirmation.
const ErasedMailKind = "privacy.erased"

// Erasure is what erasing a person did.
type Erasure struct {
	Registrations int // registrations anonymised
	Events        int // distinct events
	// Cancelled: confirmed registrations without attendance in events not
	// yet over, cancelled and their seats freed.
	Cancelled int
	// Withdrawn: waitlisted or unconfirmed registrations, taken off the
	// waiting list (status cancelled); they held no seat.
	Withdrawn int
	// Kept: registrations with attendance, kept without identity as the
	// programme's evidence.
	Kept int
	// Promoted: people on the waiting list given the seats freed.
	Promoted  int
	MessageID int64 // the queued confirmation (0 when the person had no address on file)
	Counts    store.AnonymiseCounts
}

// NormaliseEmail trims an address and checks its shape.
func NormaliseEmail(email string) (string, error) {
	e := strings.TrimSpace(email)
	if at := strings.LastIndexByte(e, '@'); at < 1 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n<>,;") || len(e) > 254 {
		inv := &apperr.Invalid{}
		inv.Add("email", "privacy.error.email")
		return "", inv
	}
	return e, nil
}

// ErasePreview lists the registrations an erasure would touch.
func (s *Service) ErasePreview(ctx context.Context, email string) ([]PersonRegistration, error) {
	e, err := NormaliseEmail(email)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.RegistrationsOfPerson(ctx, s.Store.DB, e)
	if err != nil {
		return nil, err
	}
	out := make([]PersonRegistration, 0, len(rs))
	for _, r := range rs {
		ev, err := s.Store.Event(ctx, s.Store.DB, r.EventID)
		if err != nil {
			return nil, err
		}
		out = append(out, PersonRegistration{Registration: r, Event: ev})
	}
	return out, nil
}

// PersonRegistration is one registration with its event.
type PersonRegistration struct {
	Registration store.Registration
	Event        store.Event
}

// Erase removes one person, found by e-mail, from every event. The rule
// (docs/privacy.md): a registration with attendance stays as an identity-free
// row marked erased, because the programme must keep its evidence until the
// end of retention (GDPR Art. 17(3)(b)); the signed lists show it as removed
// at the person's request with the signature's fingerprint. A waitlisted or
// unconfirmed registration is withdrawn; a confirmed one without attendance
// in an event not yet over is cancelled and its seats go back. Everything
// else about the person is anonymised. The person is told by e-mail: the
// confirmation is queued in the same transaction, the only row left with the
// address, and the retention job blanks it once it is sent.
func (s *Service) Erase(ctx context.Context, email string, by Actor) (Erasure, error) {
	var out Erasure
	e, err := NormaliseEmail(email)
	if err != nil {
		return out, err
	}
	t := today(s.now())
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		rs, err := s.Store.RegistrationsOfPerson(ctx, tx, e)
		if err != nil {
			return err
		}
		msgs, err := s.Store.MessagesOf(ctx, tx, nil, e)
		if err != nil {
			return err
		}
		if len(rs) == 0 && len(msgs) == 0 {
			return ErrNothingHeld
		}
		ids := make([]int64, 0, len(rs))
		events := map[int64]bool{}
		var eventIDs, freed []int64
		lang, to := "", e
		for _, r := range rs {
			r, err = s.Store.LockRegistration(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
			if !events[r.EventID] {
				events[r.EventID] = true
				eventIDs = append(eventIDs, r.EventID)
			}
			lang = r.Language
			if r.Email != nil {
				to = *r.Email // as the person typed it
			}
			ev, err := s.Store.Event(ctx, tx, r.EventID)
			if err != nil {
				return err
			}
			attended, err := s.Store.HasAttendance(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			switch {
			case r.Status == store.StatusWaitlisted || r.Status == store.StatusPending:
				// Nobody could promote or confirm it later: it has no
				// private link and no address once erased.
				if err := s.cancel(ctx, tx, r); err != nil {
					return err
				}
				out.Withdrawn++
			case attended:
				out.Kept++
			case r.Status == store.StatusConfirmed && !ev.LastDay.Before(t):
				if err := s.cancel(ctx, tx, r); err != nil {
					return err
				}
				freed = append(freed, r.EventID)
				out.Cancelled++
			}
		}
		keep := []int64{}
		if s.I18n != nil {
			id, err := s.queueErased(ctx, tx, to, lang, eventIDs)
			if err != nil {
				return err
			}
			out.MessageID = id
			keep = append(keep, id)
		}
		if err := s.Store.MarkErased(ctx, tx, ids); err != nil {
			return err
		}
		// A file waiting on the import screen may hold the person too.
		if _, err := s.Store.DiscardImportUploads(ctx, tx, 0); err != nil {
			return err
		}
		c, err := s.Store.AnonymiseRegistrations(ctx, tx, ids)
		if err != nil {
			return err
		}
		// Every answer goes, also those the report counts: anonymisation
		// keeps those as figures, an erasure takes them with the person.
		if c.Answers, err = s.Store.DeleteAnswersOf(ctx, tx, ids); err != nil {
			return err
		}
		c2, err := s.Store.ScrubAddress(ctx, tx, e, keep)
		if err != nil {
			return err
		}
		out.Counts = c.Add(c2)
		out.Registrations, out.Events = len(ids), len(events)
		// The seats the erasure freed go to the waiting list now, in the
		// same transaction, as a cancellation's would.
		if s.Promote != nil {
			for _, id := range freed {
				n, err := s.Promote(ctx, tx, id)
				if err != nil {
					return err
				}
				out.Promoted += n
			}
		}
		return s.log(ctx, tx, by, "privacy.erase", "person", "", map[string]any{
			"registration_ids": ids, "events": len(events), "cancelled": out.Cancelled,
			"withdrawn": out.Withdrawn, "kept": out.Kept, "promoted": out.Promoted,
			"counts": out.Counts, "confirmation_queued": out.MessageID != 0,
		})
	})
	return out, err
}

// cancel frees the seats a confirmed registration held, takes a waitlisted one
// off the list and revokes its ticket. Erase then offers the freed seats to
// the waiting list (Service.Promote).
func (s *Service) cancel(ctx context.Context, tx *sqlx.Tx, r store.Registration) error {
	if r.Status == store.StatusConfirmed {
		days, err := s.Store.RegistrationDays(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if err := s.Store.ReleaseEventSeat(ctx, tx, r.EventID); err != nil {
			return err
		}
		if err := s.Store.ReleaseDaySeats(ctx, tx, r.EventID, days); err != nil {
			return err
		}
	}
	if _, err := s.Store.SetRegistrationStatus(ctx, tx, r.ID, store.StatusCancelled); err != nil {
		return err
	}
	return s.Store.RevokeTickets(ctx, tx, r.ID, "erased")
}

// queueErased writes the confirmation in the person's language. It names the
// events but not the person, and is tied to no registration so that the
// anonymisation in the same transaction leaves it to be sent.
func (s *Service) queueErased(ctx context.Context, tx *sqlx.Tx, email, lang string, eventIDs []int64) (int64, error) {
	l := s.I18n.Localizer(lang)
	var titles []string
	for _, id := range eventIDs {
		ev, err := s.Store.Event(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		titles = append(titles, "- "+ev.Title.In(l.Lang)+" ("+l.DateRange(ev.FirstDay, ev.LastDay)+")")
	}
	body := l.T("privacy.erased_mail.body", "events", strings.Join(titles, "\n")) + "\n"
	m, err := s.Outbox.Enqueue(ctx, tx, outbox.Message{
		Kind: ErasedMailKind, To: email, Language: l.Lang, Subject: l.T("privacy.erased_mail.subject"), Text: body,
	})
	return m.ID, err
}

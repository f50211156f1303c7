package setup

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// CopyInput names a copy of an event: its slug and its first day (the other
// days follow at the same distances).
type CopyInput struct {
	Slug     string
	FirstDay string
}

// CopyEvent makes a new event of the same project from an event: texts,
// place, host, capacity, planned grant, days with their capacities and hours
// (shifted to the new first day), the sessions of each day (moved alike), the
// registration window and feedback closing (shifted alike), the questions,
// the feedback questions, whether the door counts exits, and the certificate
// signatory and sending;
// the project's rule set applies to it as to the original. It gets the
// project's next number, no registrations, and registration closed, so that it
// is not public before someone has looked at it. All in one transaction.
func (s *Service) CopyEvent(ctx context.Context, actor *auth.Principal, fromID int64, in CopyInput, ip string) (store.Event, error) {
	inv := &apperr.Invalid{}
	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if !slugRe.MatchString(slug) {
		inv.Add("slug", "admin.error.slug")
	}
	first := ParseDate(inv, "first_day", in.FirstDay)
	if first == nil {
		inv.Add("first_day", "admin.error.date")
	}
	if err := inv.Err(); err != nil {
		return store.Event{}, err
	}
	var e store.Event
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		from, err := s.Store.Event(ctx, tx, fromID)
		if err != nil {
			return err
		}
		shift := int(first.Sub(from.FirstDay).Hours() / 24)
		e = from
		e.ID, e.Slug, e.ConfirmedCount = 0, slug, 0
		e.FirstDay, e.LastDay = from.FirstDay.AddDate(0, 0, shift), from.LastDay.AddDate(0, 0, shift)
		e.RegistrationOpensAt = shiftTime(from.RegistrationOpensAt, shift)
		e.RegistrationClosesAt = shiftTime(from.RegistrationClosesAt, shift)
		e.RegistrationState = "closed"
		if e.Number, err = s.Store.NextEventNumber(ctx, tx, from.ProjectID); err != nil {
			return err
		}
		if err := s.Store.CreateEvent(ctx, tx, &e); err != nil {
			if store.IsConstraint(err, "events_project_id_number_key") {
				return apperr.Taken("slug", "admin.error.number_taken")
			}
			return conflict(err, "slug", "admin.error.slug_taken")
		}
		if err := s.Store.CopyEventDays(ctx, tx, from.ID, e.ID, shift); err != nil {
			return err
		}
		if err := s.Store.CopyQuestions(ctx, tx, from.ID, e.ID); err != nil {
			return err
		}
		if err := s.Store.CopyEventSessions(ctx, tx, from.ID, e.ID, shift); err != nil {
			return err
		}
		if err := s.Store.CopyEventSettings(ctx, tx, from.ID, e.ID, shift); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "event.copy", "event", e.ID, map[string]any{"slug": e.Slug,
			"from": from.Slug, "shift_days": shift})
	})
	return e, err
}

func shiftTime(t *time.Time, days int) *time.Time {
	if t == nil {
		return nil
	}
	n := t.AddDate(0, 0, days)
	return &n
}

package mail

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
)

// ManageLinker gives the private self-service link of a registration (the
// registration capability owns the tokens).
type ManageLinker interface {
	ManageURL(ctx context.Context, q sqlx.ExtContext, r store.Registration) (string, error)
}

// Reminders queues "see you tomorrow" messages the day before a person's
// first day, in the event's time zone.
type Reminders struct {
	Store    *store.Store
	Notifier *Notifier
	// Links may be nil: the reminder then goes without the private link.
	Links ManageLinker
	Log   *slog.Logger
	Now   func() time.Time
}

// ReminderJob names the job in job_runs.
const ReminderJob = "mail.reminders"

var errAlreadyQueued = errors.New("reminder already queued")

// RunOnce queues the reminders due now and returns how many it queued. Each
// registration gets at most one reminder whatever the number of instances or
// runs: the outbox row carries the unique key "reminder:<registration id>",
// and a second insert of it changes nothing (its transaction rolls back, so a
// private link minted for it is discarded too).
func (rm *Reminders) RunOnce(ctx context.Context) (int, error) {
	now := time.Now()
	if rm.Now != nil {
		now = rm.Now()
	}
	log := rm.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	queued, after := 0, int64(0)
	for {
		ids, err := rm.Store.ReminderDue(ctx, rm.Store.DB, now, after, 100)
		if err != nil {
			return queued, err
		}
		for _, id := range ids {
			after = id
			err := rm.Store.InTx(ctx, func(tx *sqlx.Tx) error { return rm.queue(ctx, tx, id) })
			switch {
			case err == nil:
				queued++
			case errors.Is(err, errAlreadyQueued):
			case ctx.Err() != nil:
				return queued, ctx.Err()
			default:
				// One broken registration must not hold back the others.
				log.Warn("reminders: skipped a registration", "registration_id", id, "err", err)
			}
		}
		if len(ids) < 100 {
			break
		}
	}
	if err := rm.Store.TouchJobRun(ctx, rm.Store.DB, ReminderJob); err != nil {
		return queued, err
	}
	return queued, nil
}

func (rm *Reminders) queue(ctx context.Context, tx *sqlx.Tx, id int64) error {
	r, err := rm.Store.Registration(ctx, tx, id)
	if err != nil {
		return err
	}
	if r.Status != store.StatusConfirmed || r.Email == nil {
		return errAlreadyQueued // changed meanwhile: nothing to send
	}
	no := notify.Notice{Registration: r}
	// Registrations loaded in bulk (demo, imports) may have no private link.
	if rm.Links != nil && len(r.ManageNonce) > 0 {
		if no.ManageURL, err = rm.Links.ManageURL(ctx, tx, r); err != nil {
			return err
		}
	}
	var tp *store.Ticket
	if t, err := rm.Store.LiveTicket(ctx, tx, id); err == nil {
		tp = &t
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	n := rm.Notifier
	c, err := n.content(ctx, tx, KindReminder, no, tp)
	if err != nil {
		return err
	}
	c.To = Recipient(no)
	m, err := n.Composer.Compose(c)
	if err != nil {
		return err
	}
	m.DedupKey = "reminder:" + strconv.FormatInt(id, 10)
	q, err := n.Outbox.Enqueue(ctx, tx, m)
	if err != nil {
		return err
	}
	if q.Duplicate {
		return errAlreadyQueued
	}
	return nil
}

// Run queues reminders every interval until ctx ends.
func (rm *Reminders) Run(ctx context.Context, every time.Duration) {
	log := rm.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for {
		n, err := rm.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("reminders: run failed", "err", err)
		} else if n > 0 {
			log.Info("reminders queued", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

package mail

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// Notifier implements notify.Notifier: it issues, re-issues and revokes
// tickets and queues the participant's messages, all in the caller's
// transaction.
type Notifier struct {
	Store    *store.Store
	Outbox   *outbox.Outbox
	Tickets  *tickets.Service
	Composer *Composer
}

var _ notify.Notifier = (*Notifier)(nil)

// NewNotifier wires the notifier for a server whose public URL is baseURL.
func NewNotifier(st *store.Store, b *i18n.Bundle, baseURL string) (*Notifier, error) {
	ob := outbox.New(st, baseURL)
	cp, err := NewComposer(b, ob.Domain)
	if err != nil {
		return nil, err
	}
	return &Notifier{Store: st, Outbox: ob, Tickets: tickets.New(st), Composer: cp}, nil
}

// Confirm asks the person to confirm their address (double opt-in).
func (n *Notifier) Confirm(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	return n.send(ctx, q, KindConfirm, no, nil, 0)
}

// Confirmed issues the ticket and sends it.
func (n *Notifier) Confirmed(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	t, err := n.Tickets.Issue(ctx, q, no.Registration.ID, "issued")
	if err != nil {
		return err
	}
	return n.send(ctx, q, KindTicket, no, &t, 0)
}

// Issued issues the ticket without a message (staff print it).
func (n *Notifier) Issued(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	_, err := n.Tickets.Issue(ctx, q, no.Registration.ID, "issued")
	return err
}

// Waitlisted tells the person they are on the waiting list, and where.
func (n *Notifier) Waitlisted(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	pos, err := n.Store.WaitlistPosition(ctx, q, no.Registration)
	if err != nil {
		return err
	}
	return n.send(ctx, q, KindWaitlisted, no, nil, pos)
}

// Promoted issues the ticket of a person moved up from the waiting list.
func (n *Notifier) Promoted(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	t, err := n.Tickets.Issue(ctx, q, no.Registration.ID, "issued")
	if err != nil {
		return err
	}
	return n.send(ctx, q, KindPromoted, no, &t, 0)
}

// Changed re-issues the ticket of a confirmed registration (the old payload
// is revoked) and tells the person; others just get the new details.
func (n *Notifier) Changed(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	r, err := n.Store.Registration(ctx, q, no.Registration.ID)
	if err != nil {
		return err
	}
	no.Registration = r
	if r.Status != store.StatusConfirmed {
		return n.send(ctx, q, KindChanged, no, nil, 0)
	}
	t, err := n.Tickets.Issue(ctx, q, r.ID, "changed")
	if err != nil {
		return err
	}
	return n.send(ctx, q, KindChanged, no, &t, 0)
}

// Cancelled revokes the ticket and confirms the cancellation.
func (n *Notifier) Cancelled(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	if err := n.Tickets.Revoke(ctx, q, no.Registration.ID, "cancelled"); err != nil {
		return err
	}
	return n.send(ctx, q, KindCancelled, no, nil, 0)
}

// ManageLink re-sends the private link; a confirmed registration's message
// carries its ticket again.
func (n *Notifier) ManageLink(ctx context.Context, q sqlx.ExtContext, no notify.Notice) error {
	var tp *store.Ticket
	if no.Registration.Status == store.StatusConfirmed {
		if t, err := n.Store.LiveTicket(ctx, q, no.Registration.ID); err == nil {
			tp = &t
		}
	}
	return n.send(ctx, q, KindLink, no, tp, 0)
}

// Recipient is where a notice goes: the override (a delegation's
// coordinator), else the person's own address; "" when there is none.
func Recipient(no notify.Notice) string {
	if to := strings.TrimSpace(no.To); to != "" {
		return to
	}
	if no.Registration.Email != nil {
		return strings.TrimSpace(*no.Registration.Email)
	}
	return ""
}

func (n *Notifier) send(ctx context.Context, q sqlx.ExtContext, kind string, no notify.Notice, t *store.Ticket, pos int) error {
	to := Recipient(no)
	if to == "" {
		return nil // nobody to write to; the ticket is on the coordinator's pages
	}
	c, err := n.content(ctx, q, kind, no, t)
	if err != nil {
		return err
	}
	c.WaitlistPosition = pos
	c.To = to
	m, err := n.Composer.Compose(c)
	if err != nil {
		return err
	}
	_, err = n.Outbox.Enqueue(ctx, q, m)
	return err
}

func (n *Notifier) content(ctx context.Context, q sqlx.ExtContext, kind string, no notify.Notice, t *store.Ticket) (Content, error) {
	ev := no.Event
	if ev.ID == 0 {
		var err error
		if ev, err = n.Store.Event(ctx, q, no.Registration.EventID); err != nil {
			return Content{}, err
		}
	}
	p, err := n.Store.Project(ctx, q, ev.ProjectID)
	if err != nil {
		return Content{}, err
	}
	days := no.Days
	if len(days) == 0 {
		if days, err = n.Store.RegistrationDays(ctx, q, no.Registration.ID); err != nil {
			return Content{}, err
		}
	}
	var timetable []store.EventDay
	if t != nil {
		if timetable, err = n.Store.EventDays(ctx, q, ev.ID); err != nil {
			return Content{}, err
		}
	}
	return Content{
		Kind: kind, Registration: no.Registration, Event: ev, Project: p, Days: days, Timetable: timetable,
		ManageURL: no.ManageURL, ConfirmURL: no.ConfirmURL, Ticket: t,
	}, nil
}

// Package notify is the contract between the use cases that change a
// registration and the e-mails (and tickets) that follow from the change.
// Every method runs inside the caller's transaction, so the outbox row is
// written with the change or not at all.
package notify

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/store"
)

// Notice is what a message about a registration needs.
type Notice struct {
	Registration store.Registration
	Event        store.Event
	Days         []time.Time
	// ManageURL is the private self-service link (view, change, cancel, ticket).
	ManageURL string
	// ConfirmURL is the double opt-in link (only for Confirm).
	ConfirmURL string
	// To overrides the recipient (a delegation's coordinator for members without e-mail).
	To string
}

// Notifier sends the participant messages. The implementation also issues,
// re-issues and revokes tickets where the message carries one.
//
// Everything a Notifier does goes through q, in the caller's transaction: the
// caller may undo it (a confirmation is written as if a seat were free and
// rolled back to a savepoint when none is), so nothing may leave the process
// from here; the outbox sends after the commit.
type Notifier interface {
	// Confirm asks the person to confirm their e-mail address (double opt-in).
	Confirm(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Confirmed issues the ticket and sends it (QR inline, PDF, .ics).
	Confirmed(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Issued issues the ticket and sends nothing: staff registered the person
	// and print the ticket for them.
	Issued(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Waitlisted tells the person they are on the waiting list.
	Waitlisted(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Promoted issues the ticket of a person moved up from the waiting list.
	Promoted(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Changed re-issues the ticket after a change of days or details.
	Changed(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// Cancelled revokes the ticket and confirms the cancellation.
	Cancelled(ctx context.Context, q sqlx.ExtContext, n Notice) error
	// ManageLink re-sends the private link on request.
	ManageLink(ctx context.Context, q sqlx.ExtContext, n Notice) error
}

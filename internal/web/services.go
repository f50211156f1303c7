package web

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/notify"
)

// notifier returns the participant-message sender shared by every area: the
// mail capability, which issues tickets and queues e-mails in the caller's
// transaction. It holds no state, so each area may get its own.
func (s *Server) notifier() notify.Notifier {
	n, err := mail.NewNotifier(s.Store, s.i18n, s.Config.BaseURL)
	if err != nil {
		// The templates are embedded: this is a broken build, reported on
		// every message rather than by a crash.
		s.log.Error("mail notifier unavailable", "err", err)
		return unavailableNotifier{err: err}
	}
	return n
}

// unavailableNotifier refuses every message when the composer cannot be built.
type unavailableNotifier struct{ err error }

func (u unavailableNotifier) Confirm(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) Confirmed(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) Waitlisted(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) Promoted(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) Changed(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) Cancelled(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}
func (u unavailableNotifier) ManageLink(context.Context, sqlx.ExtContext, notify.Notice) error {
	return u.err
}

package web

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/notify"
)

// notifier returns the participant-message sender shared by every area.
func (s *Server) notifier() notify.Notifier {
	return unavailableNotifier{}
}

// unavailableNotifier refuses every message until the mail capability is wired.
type unavailableNotifier struct{}

var errNoMail = errors.New("mail is not wired")

func (unavailableNotifier) Confirm(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) Confirmed(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) Waitlisted(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) Promoted(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) Changed(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) Cancelled(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}
func (unavailableNotifier) ManageLink(context.Context, sqlx.ExtContext, notify.Notice) error {
	return errNoMail
}

// Package services builds every capability service of the application once,
// with its dependencies passed in, the clock included. cmd/attend calls New
// once and hands the set to the web server, the background workers and the
// commands; tests call it the same way with their own clock. Nothing is
// assigned to a service after New.
package services

import (
	"errors"
	"time"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/feedback"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/messages"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/results"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// Deps are what the services are built from.
type Deps struct {
	Store   *store.Store
	Replica *store.Replica // reports only; nil reads them from Store
	I18n    *i18n.Bundle
	BaseURL string           // public URL for links in e-mails, without trailing slash
	Now     func() time.Time // nil: the real clock
	// MessageInterval spaces the e-mails of one message to a segment (0: 200 ms).
	MessageInterval time.Duration
}

// Set is every service, built once.
type Set struct {
	Now          func() time.Time
	Auth         *auth.Service
	Limits       *ratelimit.Limiter
	Notifier     *mail.Notifier // composes and queues participants' e-mails
	Tickets      *tickets.Service
	Registration *registration.Service
	Checkin      *checkin.Service
	Reports      *report.Service
	Accounts     *account.Service
	Programme    *setup.Service
	Privacy      *privacy.Service
	Certificates *certificates.Service
	Results      *results.Service
	// Feedback is the attendees' form after an event.
	Feedback *feedback.Service
	// Messages sends coordinators' messages to segments of participants.
	Messages *messages.Service
	// ImportHeaders are the column names an import recognises, in every
	// language (built from the catalogues once).
	ImportHeaders *registration.Headers
}

// New builds the set. It fails only on a broken build (the e-mail templates
// are embedded), so a server never starts unable to write to participants.
func New(d Deps) (*Set, error) {
	if d.Store == nil || d.I18n == nil {
		return nil, errors.New("services: a store and message catalogues are required")
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	notifier, err := mail.NewNotifier(d.Store, d.I18n, d.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Set{Now: now, Notifier: notifier}
	s.Auth = auth.New(d.Store, now)
	s.Limits = ratelimit.New(d.Store, now)
	s.Tickets = tickets.New(d.Store)
	s.Registration = registration.New(d.Store, notifier, s.Tickets, d.BaseURL, now)
	s.Checkin = checkin.New(d.Store, s.Tickets, now)
	s.Reports = report.New(d.Store, now)
	s.Reports.Replica = d.Replica
	s.Accounts = account.New(d.Store, s.Auth, s.Limits, d.I18n, d.BaseURL, now)
	// Raising a capacity or erasing a person frees seats: both offer them to
	// the waiting list in their own transaction.
	s.Programme = setup.New(d.Store, now, s.Registration.PromoteTx)
	s.Privacy = privacy.New(d.Store, d.I18n, d.BaseURL, now, s.Registration.PromoteTx)
	s.ImportHeaders = registration.NewHeaders(d.I18n)
	s.Results = results.New(d.Store, s.Reports, d.I18n, now)
	s.Certificates = certificates.New(d.Store, d.I18n, s.Tickets, notifier, s.Registration, d.BaseURL, now)
	interval := d.MessageInterval
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	s.Feedback = feedback.New(d.Store, s.Registration, d.BaseURL, now)
	s.Certificates.FeedbackURL = s.Feedback.URL
	s.Messages = messages.New(d.Store, notifier.Outbox, d.I18n, s.Registration, d.BaseURL, now, interval)
	return s, nil
}

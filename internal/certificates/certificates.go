// Package certificates issues, sends and verifies attendance certificates.
//
// A certificate is issued once per registration that attended at least one
// day of an event that is over (the certificates table's unique key on the
// registration is the judge, whatever runs the send). Its code is signed
// with the event's Ed25519 key (ticketcode.SignCertificate, separated from
// ticket signatures) and printed on the PDF as a QR code and a short URL,
// /verify/CODE. Verification checks the signature and then the database:
// a certificate whose attendance was undone, or whose holder was erased or
// anonymised, is no longer valid.
package certificates

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

// ManageLinker gives a registration's private link (the registration
// capability owns the tokens).
type ManageLinker interface {
	ManageURL(ctx context.Context, q sqlx.ExtContext, r store.Registration) (string, error)
}

// Service issues and verifies certificates.
type Service struct {
	// FeedbackURL, when set, builds the attendee's link to the event's
	// feedback form, offered in the certificate e-mail.
	FeedbackURL func(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (string, error)
	Store       *store.Store
	I18n        *i18n.Bundle
	Tickets     *tickets.Service
	Notifier    *mail.Notifier
	Links       ManageLinker
	BaseURL     string
	Now         func() time.Time
}

// New returns the service.
func New(st *store.Store, b *i18n.Bundle, t *tickets.Service, n *mail.Notifier, links ManageLinker, baseURL string, now func() time.Time) *Service {
	return &Service{Store: st, I18n: b, Tickets: t, Notifier: n, Links: links, BaseURL: baseURL, Now: now}
}

// VerifyPath is the public verification page of a code.
func VerifyPath(code string) string { return "/verify/" + code }

// VerifyURL is the absolute verification link printed on a certificate.
func (s *Service) VerifyURL(code string) string { return s.BaseURL + VerifyPath(code) }

// ErrNotOver refuses certificates for an event that is not over yet.
var ErrNotOver = &apperr.Invalid{Fields: map[string]string{"event": "certificates.error.not_over"}}

// SendResult counts what one send did (or, dry, would do).
type SendResult struct {
	Event     string `json:"event"`
	DryRun    bool   `json:"dry_run"`
	Attendees int    `json:"attendees"` // registrations that attended at least one day
	Issued    int    `json:"issued"`    // certificates issued by this run
	Mailed    int    `json:"mailed"`    // e-mails queued by this run
	NoAddress int    `json:"no_address"`
}

// SendOptions say who sends and whether to store anything.
type SendOptions struct {
	DryRun bool
	Actor  *auth.Principal // nil: the command line or the automatic job
	Label  string          // audit actor label when Actor is nil ("cli", "system")
	IP     string
}

// Send issues a certificate to every attendee of the event who has none and
// e-mails each certificate not mailed yet, in the person's language. A second
// send finds nothing to do: both steps are decided by the database (the
// unique certificate per registration, and a conditional update of
// mailed_at), so concurrent sends cannot double a message either.
func (s *Service) Send(ctx context.Context, slug string, o SendOptions) (SendResult, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return SendResult{}, err
	}
	if o.Actor != nil {
		if err := o.Actor.Check(auth.Manage, auth.EventObject(e), s.Now()); err != nil {
			return SendResult{}, err
		}
	}
	if e.Phase(s.Now()) != "past" {
		return SendResult{}, ErrNotOver
	}
	cands, err := s.Store.CertificateCandidates(ctx, s.Store.DB, e.ID)
	if err != nil {
		return SendResult{}, err
	}
	res := SendResult{Event: e.Slug, DryRun: o.DryRun, Attendees: len(cands)}
	for _, c := range cands {
		if o.DryRun {
			r, err := s.Store.Registration(ctx, s.Store.DB, c.RegistrationID)
			if err != nil {
				return res, err
			}
			if c.CertificateID == nil {
				res.Issued++
			}
			var mailed bool
			if c.CertificateID != nil {
				cert, err := s.Store.CertificateOf(ctx, s.Store.DB, c.RegistrationID)
				if err != nil {
					return res, err
				}
				mailed = cert.MailedAt != nil
			}
			switch {
			case r.Email == nil || *r.Email == "":
				res.NoAddress++
			case !mailed:
				res.Mailed++
			}
			continue
		}
		err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
			issued, mailed, noAddr, err := s.sendOne(ctx, tx, e, c.RegistrationID)
			if err != nil {
				return err
			}
			if issued {
				res.Issued++
			}
			if mailed {
				res.Mailed++
			}
			if noAddr {
				res.NoAddress++
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("certificate of registration %d: %w", c.RegistrationID, err)
		}
	}
	if o.DryRun || (res.Issued == 0 && res.Mailed == 0) {
		return res, nil
	}
	label := o.Label
	if label == "" {
		label = "cli"
	}
	err = audit.Log(ctx, s.Store, s.Store.DB, audit.Entry{Actor: o.Actor, ActorLabel: label, Action: "certificates.send",
		ObjectType: "event", ObjectID: e.ID, IP: o.IP, Details: map[string]any{"issued": res.Issued, "mailed": res.Mailed}})
	return res, err
}

// sendOne issues the registration's certificate if it has none and mails it
// if it was not mailed yet, in tx.
func (s *Service) sendOne(ctx context.Context, tx *sqlx.Tx, e store.Event, regID int64) (issued, mailed, noAddr bool, err error) {
	r, err := s.Store.LockRegistration(ctx, tx, regID)
	if err != nil {
		return false, false, false, err
	}
	cert, issued, err := s.ensure(ctx, tx, e, r)
	if err != nil || cert.ID == 0 {
		return false, false, false, err
	}
	if r.Email == nil || *r.Email == "" {
		return issued, false, true, nil
	}
	var claimed bool
	err = tx.GetContext(ctx, &claimed, `UPDATE certificates SET mailed_at = now() WHERE id = $1 AND mailed_at IS NULL RETURNING true`, cert.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return issued, false, false, nil
	}
	if err != nil {
		return false, false, false, err
	}
	if err := s.mail(ctx, tx, e, r, cert); err != nil {
		return false, false, false, err
	}
	return issued, true, false, nil
}

// ensure returns the registration's certificate, issuing it when the person
// attended and has none; a zero certificate when they did not attend (or are
// erased, cancelled).
func (s *Service) ensure(ctx context.Context, tx *sqlx.Tx, e store.Event, r store.Registration) (store.Certificate, bool, error) {
	if c, err := s.Store.CertificateOf(ctx, tx, r.ID); err == nil {
		return c, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.Certificate{}, false, err
	}
	if r.Status != store.StatusConfirmed || r.AnonymisedAt != nil {
		return store.Certificate{}, false, nil
	}
	days, err := s.Store.AttendedDays(ctx, tx, r.ID)
	if err != nil || len(days) == 0 {
		return store.Certificate{}, false, err
	}
	key, err := s.Tickets.SigningKey(ctx, tx, e.ID)
	if err != nil {
		return store.Certificate{}, false, err
	}
	id, err := s.Store.ReserveCertificateID(ctx, tx)
	if err != nil {
		return store.Certificate{}, false, err
	}
	var utc []time.Time
	for _, d := range days {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return store.Certificate{}, false, err
		}
		utc = append(utc, t)
	}
	code, err := ticketcode.SignCertificate(ticketcode.Claims{EventID: e.ID, TicketID: id, KeyID: key.KID, Days: utc}, ed25519.PrivateKey(key.PrivateKey))
	if err != nil {
		return store.Certificate{}, false, err
	}
	c := store.Certificate{ID: id, RegistrationID: r.ID, EventID: e.ID, KeyID: key.ID, Code: code, Days: days, Language: r.Language}
	ok, err := s.Store.InsertCertificate(ctx, tx, &c)
	if err != nil {
		return store.Certificate{}, false, err
	}
	if !ok { // issued meanwhile by another run: use that one
		c, err = s.Store.CertificateOf(ctx, tx, r.ID)
		return c, false, err
	}
	return c, true, nil
}

// Issued returns the registration's certificate, issuing it when the event
// is over and the person attended but none was issued yet (the private
// page's download). ErrNotFound when there is none to give.
func (s *Service) Issued(ctx context.Context, r store.Registration) (store.Certificate, error) {
	e, err := s.Store.Event(ctx, s.Store.DB, r.EventID)
	if err != nil {
		return store.Certificate{}, err
	}
	if c, err := s.Store.CertificateOf(ctx, s.Store.DB, r.ID); err == nil || !errors.Is(err, store.ErrNotFound) {
		return c, err
	}
	if e.Phase(s.Now()) != "past" {
		return store.Certificate{}, store.ErrNotFound
	}
	var c store.Certificate
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		c, _, err = s.ensure(ctx, tx, e, r)
		return err
	})
	if err == nil && c.ID == 0 {
		err = store.ErrNotFound
	}
	return c, err
}

func (s *Service) mail(ctx context.Context, tx *sqlx.Tx, e store.Event, r store.Registration, cert store.Certificate) error {
	lang := s.lang(r.Language)
	doc, err := s.document(ctx, tx, e, r, cert, lang)
	if err != nil {
		return err
	}
	pdf, err := PDF(doc)
	if err != nil {
		return err
	}
	p, err := s.Store.Project(ctx, tx, e.ProjectID)
	if err != nil {
		return err
	}
	no := notify.Notice{Registration: r, Event: e}
	if s.Links != nil && len(r.ManageNonce) > 0 {
		if no.ManageURL, err = s.Links.ManageURL(ctx, tx, r); err != nil {
			return err
		}
	}
	var days []time.Time
	for _, d := range cert.Days {
		if t, err := time.Parse("2006-01-02", d); err == nil {
			days = append(days, t)
		}
	}
	c := mail.Content{Kind: mail.KindCertificate, Registration: r, Event: e, Project: p, Days: days, ManageURL: no.ManageURL,
		To: mail.Recipient(no), Certificate: &mail.CertificateMail{PDF: pdf, Filename: Filename(s.I18n.Localizer(lang), cert), VerifyURL: s.VerifyURL(cert.Code)}}
	// The feedback capability owns its links; people without a private link get none.
	if s.FeedbackURL != nil && len(r.ManageNonce) > 0 {
		if c.Certificate.FeedbackURL, err = s.FeedbackURL(ctx, tx, r, lang); err != nil {
			return err
		}
	}
	m, err := s.Notifier.Composer.Compose(c)
	if err != nil {
		return err
	}
	m.DedupKey = "certificate:" + strconv.FormatInt(cert.ID, 10)
	_, err = s.Notifier.Outbox.Enqueue(ctx, tx, m)
	return err
}

func (s *Service) lang(l string) string {
	if s.I18n.Supported(l) {
		return l
	}
	return i18n.Fallback
}

// Filename names a certificate's PDF in the holder's language.
func Filename(l *i18n.Localizer, c store.Certificate) string {
	return l.T("certificate.filename") + "-" + strconv.FormatInt(c.ID, 10) + ".pdf"
}

// AutoJob names the automatic send in job_runs.
const AutoJob = "certificates.auto"

// SendDue sends the certificates of every event set to send them by itself
// whose last day is over on its own clock (from the day after the event),
// looking back two weeks. Sending again is harmless (see Send), so several
// instances may run it at once.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	now := s.Now()
	evs, err := s.Store.AutoCertificateEvents(ctx, s.Store.DB, now.AddDate(0, 0, -14))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, e := range evs {
		if e.Phase(now) != "past" {
			continue
		}
		res, err := s.Send(ctx, e.Slug, SendOptions{Label: "system"})
		if err != nil {
			return sent, err
		}
		sent += res.Mailed
	}
	return sent, s.Store.TouchJobRun(ctx, s.Store.DB, AutoJob)
}

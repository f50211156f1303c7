package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode/utf8"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

//go:embed templates/*
var templateFS embed.FS

// Message kinds, stored in outbox.kind.
const (
	KindConfirm    = "confirm"
	KindTicket     = "ticket"
	KindWaitlisted = "waitlisted"
	KindPromoted   = "promoted"
	KindChanged    = "changed"
	KindCancelled  = "cancelled"
	KindLink       = "link"
	KindReminder   = "reminder"
	// KindCertificate carries an attendance certificate (see Certificate).
	KindCertificate = "certificate"
)

// QRContentID is the cid of the inline QR image in ticket messages.
const QRContentID = "ticket-qr@attend"

// Composer renders messages in a participant's language.
type Composer struct {
	I18n   *i18n.Bundle
	Domain string
	Now    func() time.Time
	html   *htmltemplate.Template
	text   *texttemplate.Template
}

// NewComposer parses the message templates.
func NewComposer(b *i18n.Bundle, domain string) (*Composer, error) {
	h, err := htmltemplate.ParseFS(templateFS, "templates/message.html")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	t, err := texttemplate.ParseFS(templateFS, "templates/message.txt")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	return &Composer{I18n: b, Domain: domain, Now: time.Now, html: h, text: t}, nil
}

// Content is what one message says about a registration.
type Content struct {
	Kind         string
	Registration store.Registration
	Event        store.Event
	Project      store.Project
	Days         []time.Time
	// Timetable is the event's days with their times; the ticket's .ics
	// carries those of Days (all when Days is empty).
	Timetable  []store.EventDay
	ManageURL  string
	ConfirmURL string
	// Ticket, when set, puts the QR inline and attaches the PDF and .ics.
	Ticket *store.Ticket
	// WaitlistPosition, when positive, is stated in the waiting-list message.
	WaitlistPosition int
	To               string
	// Certificate, for KindCertificate: the PDF to attach and its links.
	Certificate *CertificateMail
}

// CertificateMail is what a certificate message carries besides the
// registration: the PDF and where anyone can verify it.
type CertificateMail struct {
	PDF       []byte
	Filename  string
	VerifyURL string
	// FeedbackURL, when set, invites the attendee to the event's feedback
	// form (the feedback capability fills it in).
	FeedbackURL string
}

type link struct{ URL, Label string }

type detail struct {
	Label string
	Lines []string
}

type view struct {
	Lang, Subject, Preheader, Heading, Greeting string
	Paragraphs                                  []string
	Action, Manage                              *link
	ManageNote                                  string
	QRCID, QRAlt, Code, CodeLabel               string
	Details                                     []detail
	Signature, Footer, Project, Rule            string
}

// Compose builds the outbox message for c.
func (cp *Composer) Compose(c Content) (outbox.Message, error) {
	r := c.Registration
	lang := r.Language
	if !cp.I18n.Supported(lang) {
		lang = i18n.Fallback
	}
	l := cp.I18n.Localizer(lang)
	// A title not translated into lang is marked "(in English)".
	event := l.Pick(c.Event.Title).Marked()
	project := projectName(c.Project, lang)
	k := "mail." + c.Kind + "."
	v := view{
		Lang:      lang,
		Subject:   oneLine(l.T(k+"subject", "event", event)),
		Heading:   l.T(k+"heading", "event", event),
		Greeting:  l.T("mail.greeting", "name", r.FullName()),
		Signature: l.T("mail.signature"),
		Footer:    l.T("mail.footer"),
		Project:   project,
	}
	v.Rule = strings.Repeat("=", utf8.RuneCountInString(v.Heading))
	intro := k + "intro"
	if c.Kind == KindChanged && c.Ticket == nil {
		intro = "mail.changed.intro_plain"
	}
	v.Paragraphs = append(v.Paragraphs, l.T(intro, "event", event))
	switch c.Kind {
	case KindConfirm:
		v.Action = &link{c.ConfirmURL, l.T("mail.confirm.action")}
		v.Paragraphs = append(v.Paragraphs, l.T("mail.confirm.ignore"))
	case KindWaitlisted:
		if c.WaitlistPosition > 0 {
			v.Paragraphs = append(v.Paragraphs, l.T("mail.waitlisted.position", "position", c.WaitlistPosition))
		}
	case KindCancelled:
		v.Paragraphs = append(v.Paragraphs, l.T("mail.cancelled.again"))
	case KindCertificate:
		if cm := c.Certificate; cm != nil {
			v.Paragraphs = append(v.Paragraphs, l.T("mail.certificate.verify", "url", cm.VerifyURL))
			if cm.FeedbackURL != "" {
				v.Action = &link{cm.FeedbackURL, l.T("mail.certificate.feedback")}
			}
		}
	}
	if c.Ticket != nil {
		v.Paragraphs = append(v.Paragraphs, l.T("mail.ticket.attached"))
		v.QRCID = QRContentID
		v.QRAlt = l.T("mail.ticket.qr_alt")
		v.Code = tickets.FormatCode(c.Ticket.Code)
		v.CodeLabel = l.T("ticketpage.label.code")
	}
	v.Preheader = v.Paragraphs[0]
	v.Details = append(v.Details,
		detail{l.T("ticketpage.label.event"), []string{event}},
		detail{l.T("ticketpage.label.dates"), []string{l.DateRange(c.Event.FirstDay, c.Event.LastDay)}},
		detail{l.T("ticketpage.label.venue"), []string{tickets.VenueLine(l, c.Event)}},
	)
	days := c.Days
	if c.Ticket != nil {
		days = ticketDays(c.Ticket)
	}
	if len(days) > 0 && c.Kind != KindCancelled {
		var ds []string
		for _, d := range days {
			ds = append(ds, tickets.Weekday(l, d)+" "+l.Date(d))
		}
		v.Details = append(v.Details, detail{l.T("ticketpage.label.days"), ds})
	}
	if c.ManageURL != "" {
		label := l.T("mail.manage.action")
		if c.Ticket != nil {
			label = l.T("mail.manage.ticket_action")
		}
		v.Manage = &link{c.ManageURL, label}
		v.ManageNote = l.T("mail.manage.note")
	}
	var html, text bytes.Buffer
	if err := cp.html.Execute(&html, v); err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", c.Kind, err)
	}
	if err := cp.text.Execute(&text, v); err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", c.Kind, err)
	}
	id := r.ID
	m := outbox.Message{
		Kind: c.Kind, RegistrationID: &id, To: c.To, Language: lang, Subject: v.Subject,
		Text: tidyText(text.String()), HTML: html.String(),
	}
	if c.Ticket != nil {
		atts, err := cp.ticketAttachments(l, c, project)
		if err != nil {
			return outbox.Message{}, err
		}
		m.Attachments = atts
	}
	if cm := c.Certificate; cm != nil && c.Kind == KindCertificate {
		m.Attachments = append(m.Attachments, outbox.Attachment{Filename: cm.Filename, ContentType: "application/pdf", Content: cm.PDF})
	}
	return m, nil
}

// ticketAttachments are the inline QR, the PDF ticket and the .ics file.
func (cp *Composer) ticketAttachments(l *i18n.Localizer, c Content, project string) ([]outbox.Attachment, error) {
	t := c.Ticket
	png, err := qr.PNG(t.Payload, 480)
	if err != nil {
		return nil, err
	}
	doc := tickets.NewDocument(l, c.Registration, c.Event, *t, project)
	pdf, err := tickets.PDF(doc, pdfdoc.A4)
	if err != nil {
		return nil, err
	}
	cal := tickets.Calendar(l, c.Event, registeredDays(c.Timetable, c.Days), c.ManageURL, cp.Domain, cp.Now())
	name := l.T("mail.ticket.filename")
	return []outbox.Attachment{
		{Filename: "qr.png", ContentType: "image/png", ContentID: QRContentID, Content: png},
		{Filename: name + "-" + t.Code + ".pdf", ContentType: "application/pdf", Content: pdf},
		{Filename: c.Event.Slug + ".ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Content: cal},
	}, nil
}

// registeredDays keeps the timetable's days that are among days (all of them
// when days is empty).
func registeredDays(timetable []store.EventDay, days []time.Time) []store.EventDay {
	if len(days) == 0 {
		return timetable
	}
	var out []store.EventDay
	for _, d := range timetable {
		for _, r := range days {
			if d.Day.Equal(r) {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

func ticketDays(t *store.Ticket) []time.Time {
	var ds []time.Time
	for _, s := range t.Days {
		if d, err := time.Parse("2006-01-02", s); err == nil {
			ds = append(ds, d)
		}
	}
	return ds
}

// projectName prefers the acronym with the localized title ("DeCoDe").
func projectName(p store.Project, lang string) string {
	if p.Acronym != "" {
		return p.Acronym
	}
	if t := p.Title.In(lang); t != "" {
		return t
	}
	return "DeCoDe Attend"
}

// oneLine keeps a header value on one line whatever an event title holds.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// tidyText collapses runs of blank lines left by optional template parts.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	blank := 0
	for _, ln := range lines {
		ln = strings.TrimRight(ln, " \t")
		if ln == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, ln)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

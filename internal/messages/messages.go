// Package messages sends a coordinator's message to a segment of an event's
// or a project's participants: each person gets it in their own language (else
// the project's fallback), through the outbox, with a one-click opt-out on
// messages that are not essential.
package messages

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base32"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

//go:embed templates/*
var templateFS embed.FS

// Kind is the outbox kind of these messages.
const Kind = "segment"

// Segments a message may go to; "partner:SLUG" names a partner's delegation.
var Segments = []string{"registered", "confirmed", "waitlisted", "pending", "attended", "no_show"}

// Placeholders are what a subject or body may contain in braces.
var Placeholders = []string{"first_name", "event", "ticket_link", "manage_link"}

// Limits on what a coordinator types.
const (
	MaxSubject = 200
	MaxBody    = 20000
)

// Links gives a registration's private links (the registration capability
// owns the tokens).
type Links interface {
	ManagePath(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (string, error)
}

// Service composes, previews and sends messages.
type Service struct {
	Store   *store.Store
	Outbox  *outbox.Outbox
	I18n    *i18n.Bundle
	Links   Links
	BaseURL string
	Now     func() time.Time
	// Interval spaces the recipients' send times, so that a message to a
	// thousand people does not leave in one burst (the SMTP provider's rate).
	Interval time.Duration
	html     *htmltemplate.Template
}

// New builds the service; interval is the pause between two recipients.
func New(st *store.Store, ob *outbox.Outbox, b *i18n.Bundle, links Links, baseURL string, now func() time.Time, interval time.Duration) *Service {
	h := htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/message.html"))
	return &Service{Store: st, Outbox: ob, I18n: b, Links: links, BaseURL: strings.TrimRight(baseURL, "/"), Now: now, Interval: interval, html: h}
}

// Draft is a message as composed.
type Draft struct {
	ProjectID int64
	Event     *store.Event // nil: the whole project
	Segment   string       // one of Segments or "partner:SLUG"
	Day       string       // optional YYYY-MM-DD: attended / absent on that day
	Subject   map[string]string
	Body      map[string]string
	Essential bool
}

// resolved is a checked draft.
type resolved struct {
	query    store.SegmentQuery
	fallback string
	subject  store.Texts
	body     store.Texts
	events   map[int64]store.Event // loaded once per message (a project's people span events)
}

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// check validates d: unknown segments, placeholders or languages, a missing
// subject or body in the project's fallback language, bad bytes and sizes
// are field errors (keys of the messages catalogue), nothing is stored.
func (s *Service) check(ctx context.Context, q sqlx.ExtContext, d Draft) (resolved, error) {
	inv := &apperr.Invalid{}
	var res resolved
	fallback, err := s.Store.ProjectFallbackLanguage(ctx, q, d.ProjectID)
	if err != nil {
		return res, err
	}
	res.fallback = fallback
	res.events = map[int64]store.Event{}
	res.query = store.SegmentQuery{ProjectID: d.ProjectID, Segment: d.Segment, Today: s.today(d.Event), Essential: d.Essential}
	if d.Event != nil {
		id := d.Event.ID
		res.query.EventID = &id
	}
	switch {
	case slices.Contains(Segments, d.Segment):
	case strings.HasPrefix(d.Segment, "partner:"):
		p, err := s.Store.PartnerBySlug(ctx, q, d.ProjectID, strings.TrimPrefix(d.Segment, "partner:"))
		if err != nil {
			inv.Add("segment", "messages.error.partner")
			break
		}
		res.query.Segment, res.query.PartnerID = "partner", &p.ID
	default:
		inv.Add("segment", "messages.error.segment")
	}
	if d.Segment == "no_show" && d.Event != nil && d.Event.Phase(s.Now()) != "past" {
		inv.Add("segment", "messages.error.not_past")
	}
	if d.Day != "" {
		day, err := time.Parse(time.DateOnly, d.Day)
		switch {
		case err != nil || d.Event == nil || day.Before(d.Event.FirstDay) || day.After(d.Event.LastDay):
			inv.Add("day", "messages.error.day")
		case d.Segment != "attended" && d.Segment != "no_show":
			inv.Add("day", "messages.error.day_segment")
		default:
			res.query.Day = &day
		}
	}
	res.subject, res.body = store.Texts{}, store.Texts{}
	for _, part := range []struct {
		field string
		in    map[string]string
		out   store.Texts
		max   int
		multi bool
	}{{"subject", d.Subject, res.subject, MaxSubject, false}, {"body", d.Body, res.body, MaxBody, true}} {
		for lang, text := range part.in {
			text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
			field := part.field + "_" + lang
			switch {
			case !s.I18n.Supported(lang):
				inv.Add(part.field, "messages.error.language")
				continue
			case !plaintext.Valid(text, part.multi):
				inv.Add(field, "messages.error.text")
				continue
			case utf8.RuneCountInString(text) > part.max:
				inv.Add(field, "messages.error.too_long")
				continue
			}
			for _, m := range placeholderRE.FindAllString(text, -1) {
				if !slices.Contains(Placeholders, strings.Trim(m, "{}")) {
					inv.Add(field, "messages.error.placeholder")
				}
			}
			if text != "" {
				part.out[lang] = text
			}
		}
		if part.out[fallback] == "" {
			inv.Add(part.field+"_"+fallback, "messages.error.fallback_required")
		}
	}
	// A language with a subject needs its body, and the reverse.
	for lang := range res.subject {
		if res.body[lang] == "" {
			inv.Add("body_"+lang, "messages.error.pair")
		}
	}
	for lang := range res.body {
		if res.subject[lang] == "" {
			inv.Add("subject_"+lang, "messages.error.pair")
		}
	}
	return res, inv.Err()
}

// today is the current date on the event's clock (UTC for a project).
func (s *Service) today(e *store.Event) time.Time {
	now := s.Now()
	if e != nil {
		now = now.In(e.Location())
	}
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// Rendered is one message as one person (or one language's first person) gets it.
type Rendered struct {
	Language string
	Count    int // recipients in this language
	Subject  string
	Text     string
	HTML     string
}

// Preview is what a draft would send.
type Preview struct {
	Recipients int
	Languages  []Rendered // one per language, rendered for its first recipient
}

// Preview counts the recipients and renders one message per language,
// storing nothing.
func (s *Service) Preview(ctx context.Context, d Draft) (Preview, error) {
	var p Preview
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := s.check(ctx, tx, d)
		if err != nil {
			return err
		}
		rs, err := s.Store.SegmentRecipients(ctx, tx, res.query)
		if err != nil {
			return err
		}
		p.Recipients = len(rs)
		seen := map[string]int{}
		for _, r := range rs {
			lang := res.language(r)
			if i, ok := seen[lang]; ok {
				p.Languages[i].Count++
				continue
			}
			m, err := s.render(ctx, tx, res, r, lang)
			if err != nil {
				return err
			}
			seen[lang] = len(p.Languages)
			p.Languages = append(p.Languages, Rendered{Language: lang, Count: 1, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
		}
		slices.SortFunc(p.Languages, func(a, b Rendered) int { return strings.Compare(a.Language, b.Language) })
		return nil
	})
	return p, err
}

// language is the person's own language when the message has it, else the
// project's fallback.
func (res resolved) language(r store.Registration) string {
	if res.subject[r.Language] != "" && res.body[r.Language] != "" {
		return r.Language
	}
	return res.fallback
}

// Send stores the message and queues one e-mail per recipient, in one
// transaction, audited. The e-mails leave through the outbox, spaced by
// Interval.
func (s *Service) Send(ctx context.Context, p *auth.Principal, d Draft, ip string) (store.Message, error) {
	var msg store.Message
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := s.check(ctx, tx, d)
		if err != nil {
			return err
		}
		rs, err := s.Store.SegmentRecipients(ctx, tx, res.query)
		if err != nil {
			return err
		}
		msg = store.Message{
			ProjectID: d.ProjectID, EventID: res.query.EventID, Segment: res.query.Segment, PartnerID: res.query.PartnerID,
			Day: res.query.Day, Subject: res.subject, Body: res.body, Essential: d.Essential, Recipients: len(rs),
		}
		if p != nil && p.UserID != 0 {
			uid := p.UserID
			msg.CreatedBy = &uid
		}
		if err := s.Store.InsertMessage(ctx, tx, &msg); err != nil {
			return err
		}
		start := s.Now()
		for i, r := range rs {
			lang := res.language(r)
			m, err := s.render(ctx, tx, res, r, lang)
			if err != nil {
				return err
			}
			m.SendAfter = start.Add(time.Duration(i) * s.Interval)
			q, err := s.Outbox.Enqueue(ctx, tx, m)
			if err != nil {
				return err
			}
			if err := s.Store.InsertMessageRecipient(ctx, tx, msg.ID, r.ID, q.ID, lang); err != nil {
				return err
			}
		}
		details := map[string]any{"segment": d.Segment, "recipients": len(rs), "essential": d.Essential}
		if d.Event != nil {
			details["event"] = d.Event.Slug
		}
		if d.Day != "" {
			details["day"] = d.Day
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: p, ActorLabel: "cli", Action: "message.send",
			ObjectType: "message", ObjectID: msg.ID, IP: ip, Details: details})
	})
	return msg, err
}

// view is what the HTML template shows.
type view struct {
	Lang       string
	Paragraphs [][]segment
	OptOut     string
	OptOutText string
	Footer     string
}

// segment is a run of text or a link within a line.
type segment struct {
	Text string
	URL  string
	Br   bool
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// render builds one person's e-mail.
func (s *Service) render(ctx context.Context, q sqlx.ExtContext, res resolved, r store.Registration, lang string) (outbox.Message, error) {
	e, ok := res.events[r.EventID]
	if !ok {
		var err error
		if e, err = s.Store.Event(ctx, q, r.EventID); err != nil {
			return outbox.Message{}, err
		}
		res.events[r.EventID] = e
	}
	vals := map[string]string{"first_name": r.FirstName, "event": e.Title.In(lang)}
	if len(r.ManageNonce) > 0 && s.Links != nil {
		path, err := s.Links.ManagePath(ctx, q, r, lang)
		if err != nil {
			return outbox.Message{}, err
		}
		vals["manage_link"] = s.BaseURL + path
		vals["ticket_link"] = s.BaseURL + path + "/ticket"
	}
	fill := func(t string) string {
		return placeholderRE.ReplaceAllStringFunc(t, func(m string) string { return vals[strings.Trim(m, "{}")] })
	}
	l := s.I18n.Localizer(lang)
	subject := strings.Join(strings.Fields(fill(res.subject[lang])), " ")
	body := fill(res.body[lang])
	text := body
	v := view{Lang: lang, Footer: l.T("optout.mail.footer")}
	m := outbox.Message{Kind: Kind, To: *r.Email, Language: lang, Subject: subject}
	id := r.ID
	m.RegistrationID = &id
	if !res.query.Essential {
		page, oneClick, err := s.OptOutURLs(ctx, q, r, lang)
		if err != nil {
			return outbox.Message{}, err
		}
		v.OptOut, v.OptOutText = page, l.T("optout.mail.link")
		m.ListUnsubscribe = oneClick
		text += "\n\n-- \n" + v.OptOutText + ": " + page
	}
	for _, para := range strings.Split(body, "\n\n") {
		var segs []segment
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				segs = append(segs, segment{Br: true})
			}
			last := 0
			for _, loc := range urlRE.FindAllStringIndex(line, -1) {
				segs = append(segs, segment{Text: line[last:loc[0]]}, segment{Text: line[loc[0]:loc[1]], URL: line[loc[0]:loc[1]]})
				last = loc[1]
			}
			segs = append(segs, segment{Text: line[last:]})
		}
		v.Paragraphs = append(v.Paragraphs, segs)
	}
	var html bytes.Buffer
	if err := s.html.Execute(&html, v); err != nil {
		return outbox.Message{}, fmt.Errorf("render message: %w", err)
	}
	m.Text, m.HTML = text+"\n", html.String()
	return m, nil
}

// Opt-out links are derived, not stored: HMAC-SHA256 of the registration id
// with the shared "optout-links" secret.
const optOutSecret = "optout-links"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func (s *Service) optOutToken(ctx context.Context, q sqlx.ExtContext, id int64) (string, error) {
	secret, err := s.Store.Secret(ctx, q, optOutSecret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "optout:%d", id)
	return strings.ToLower(b32.EncodeToString(m.Sum(nil)[:20])), nil
}

// OptOutURLs are the opt-out page of r (a button) and the one-click URL of the
// List-Unsubscribe header (RFC 8058: mail programs POST to it).
func (s *Service) OptOutURLs(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (page, oneClick string, err error) {
	t, err := s.optOutToken(ctx, q, r.ID)
	if err != nil {
		return "", "", err
	}
	id := strconv.FormatInt(r.ID, 10)
	return s.BaseURL + "/" + lang + "/optout/" + id + "/" + t, s.BaseURL + "/api/v1/optout/" + id + "/" + t, nil
}

// VerifyOptOut returns the registration an opt-out link names, or not found
// for a wrong token or a person no longer on record.
func (s *Service) VerifyOptOut(ctx context.Context, id, token string) (store.Registration, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return store.Registration{}, apperr.ErrNotFound
	}
	want, err := s.optOutToken(ctx, s.Store.DB, n)
	if err != nil {
		return store.Registration{}, err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return store.Registration{}, apperr.ErrNotFound
	}
	r, err := s.Store.Registration(ctx, s.Store.DB, n)
	if err != nil {
		return r, apperr.ErrNotFound
	}
	if r.AnonymisedAt != nil || r.Email == nil {
		return store.Registration{}, apperr.ErrNotFound
	}
	return r, nil
}

// OptOut records that the person of a verified link wants no more
// non-essential messages of the event's project.
func (s *Service) OptOut(ctx context.Context, r store.Registration, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		e, err := s.Store.Event(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if err := s.Store.InsertOptOut(ctx, tx, e.ProjectID, *r.Email); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{ActorLabel: "participant", Action: "message.optout",
			ObjectType: "registration", ObjectID: r.ID, IP: ip})
	})
}

// OptedOut reports whether the person of r opted out of its project's messages.
func (s *Service) OptedOut(ctx context.Context, r store.Registration) (bool, error) {
	if r.Email == nil {
		return false, nil
	}
	e, err := s.Store.Event(ctx, s.Store.DB, r.EventID)
	if err != nil {
		return false, err
	}
	return s.Store.OptedOut(ctx, s.Store.DB, e.ProjectID, *r.Email)
}

// State is a message and its recipients' delivery.
type State struct {
	Message    store.Message
	Recipients []store.MessageRecipientState
	Counts     map[string]int // state -> recipients
}

// Status loads a message's state.
func (s *Service) Status(ctx context.Context, id int64) (State, error) {
	m, err := s.Store.MessageByID(ctx, s.Store.DB, id)
	if err != nil {
		return State{}, err
	}
	rs, err := s.Store.MessageRecipients(ctx, s.Store.DB, id)
	if err != nil {
		return State{}, err
	}
	st := State{Message: m, Recipients: rs, Counts: map[string]int{}}
	for _, r := range rs {
		st.Counts[r.State()]++
	}
	return st, nil
}

// Package outbox is the durable e-mail queue. A message is written with
// Enqueue in the same transaction as the change that causes it, so it exists
// exactly when the change does; a Worker delivers it later.
//
// # Delivery
//
// A worker claims due rows with one UPDATE over a SELECT ... FOR UPDATE SKIP
// LOCKED: the rows become 'sending' with a lease (locked_until) and a random
// claim token. Several workers, in one process or many, never claim the same
// row. Right before sending a row the worker renews its lease, fenced by the
// token, so a worker that stalled past its lease (and lost the row to another)
// does not send it too. After the SMTP server accepts the message the row is
// marked 'sent' in one statement, again fenced by the token. A failed attempt
// returns the row to 'queued' with an exponential backoff; after MaxAttempts
// tries, or on a permanent rejection, it becomes 'failed' and admins see it.
//
// # The window between send and mark
//
// Sending and marking cannot be one atomic step: the SMTP server is not in
// our transaction. If the process dies after the server accepted a message
// (the "250 OK" after DATA) and before the one-statement UPDATE to 'sent'
// commits, the row stays 'sending' until its lease expires, and then it is
// claimed and sent again. That window is one round trip to PostgreSQL,
// usually well under a millisecond. The resend carries the same Message-ID,
// fixed when the message was queued, so receivers that deduplicate by
// Message-ID (most mailbox providers, and mailpit with
// --ignore-duplicate-ids) deliver it once; at worst a reader sees an
// identical copy. No message is ever lost: a row leaves 'sending' only
// through a recorded outcome. The kill test in this package measures it.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/store"
)

// Attachment is a file sent with a message. ContentID makes it an inline
// part referenced from the HTML as cid:ContentID.
type Attachment struct {
	Filename    string
	ContentType string
	ContentID   string
	Content     []byte
}

// Message is an e-mail to queue.
type Message struct {
	Kind           string // confirm, ticket, waitlisted, ... (for the admin pages and dedup)
	RegistrationID *int64
	UserID         *int64
	To             string
	Language       string
	Subject        string
	Text           string
	HTML           string
	Attachments    []Attachment
	// SendAfter delays delivery; zero means now.
	SendAfter time.Time
	// DedupKey, when set, makes the message unique: a second Enqueue with
	// the same key queues nothing (scheduled messages across instances).
	DedupKey string
	// ListUnsubscribe, when set, is the one-click opt-out URL sent in the
	// List-Unsubscribe headers (non-essential messages).
	ListUnsubscribe string
}

// Queued is what Enqueue stored.
type Queued struct {
	ID        int64
	MessageID string
	// Duplicate is true when the dedup key already existed; nothing was stored.
	Duplicate bool
}

// Outbox queues messages.
type Outbox struct {
	Store *store.Store
	// Domain is the right-hand side of generated Message-IDs.
	Domain string
}

// New returns an outbox whose Message-IDs use the host of baseURL.
func New(st *store.Store, baseURL string) *Outbox {
	return &Outbox{Store: st, Domain: DomainOf(baseURL)}
}

// DomainOf returns the host name of a URL, for Message-IDs ("localhost" when
// there is none).
func DomainOf(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// NewMessageID returns a fresh RFC 5322 Message-ID in angle brackets.
func (o *Outbox) NewMessageID() string {
	d := o.Domain
	if d == "" {
		d = "localhost"
	}
	return "<" + uuid.NewString() + "@" + d + ">"
}

// Enqueue stores m and its attachments in q, which should be the transaction
// of the change that causes the message.
func (o *Outbox) Enqueue(ctx context.Context, q sqlx.ExtContext, m Message) (Queued, error) {
	if err := m.validate(); err != nil {
		return Queued{}, err
	}
	row := store.OutboxMessage{
		MessageID: o.NewMessageID(), Kind: m.Kind, RegistrationID: m.RegistrationID, UserID: m.UserID,
		ToAddr: m.To, Language: m.Language, Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML,
		SendAfter: m.SendAfter, ListUnsubscribe: m.ListUnsubscribe,
	}
	if row.Language == "" {
		row.Language = "en"
	}
	if m.DedupKey != "" {
		k := m.DedupKey
		row.DedupKey = &k
	}
	ok, err := o.Store.InsertOutbox(ctx, q, &row)
	if err != nil {
		return Queued{}, err
	}
	if !ok {
		return Queued{Duplicate: true}, nil
	}
	for _, a := range m.Attachments {
		att := store.OutboxAttachment{
			OutboxID: row.ID, Filename: a.Filename, ContentType: a.ContentType, ContentID: a.ContentID, Content: a.Content,
		}
		if err := o.Store.InsertOutboxAttachment(ctx, q, &att); err != nil {
			return Queued{}, err
		}
	}
	return Queued{ID: row.ID, MessageID: row.MessageID}, nil
}

func (m Message) validate() error {
	switch {
	case m.Kind == "":
		return errors.New("outbox: message without kind")
	case strings.TrimSpace(m.To) == "" || strings.ContainsAny(m.To, "\r\n"):
		return errors.New("outbox: message without a valid recipient")
	case m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n"):
		return errors.New("outbox: message without a one-line subject")
	case m.Text == "":
		return errors.New("outbox: message without a text body")
	case strings.ContainsAny(m.ListUnsubscribe, "\r\n<>"):
		return errors.New("outbox: opt-out URL is not one clean line")
	}
	for _, a := range m.Attachments {
		if a.Filename == "" || a.ContentType == "" || len(a.Content) == 0 {
			return fmt.Errorf("outbox: attachment %q is incomplete", a.Filename)
		}
	}
	return nil
}

package outbox

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/store"
)

// Envelope is a claimed message ready to send.
type Envelope struct {
	store.OutboxMessage
	Attachments []store.OutboxAttachment
}

// Sender delivers messages. Session opens what a batch shares (an SMTP
// connection); Via names the transport recorded on sent rows ("smtp", "kept").
type Sender interface {
	Session(ctx context.Context) (Session, error)
	Via() string
}

// Session sends messages one by one.
type Session interface {
	Send(ctx context.Context, e Envelope) error
	Close() error
}

// PermanentError is implemented by send errors that retrying cannot fix
// (the server rejected the recipient or the message).
type PermanentError interface {
	Permanent() bool
}

// IsPermanent reports whether err says retrying is pointless.
func IsPermanent(err error) bool {
	var p PermanentError
	return errors.As(err, &p) && p.Permanent()
}

// Worker delivers due messages until its context ends.
type Worker struct {
	Store  *store.Store
	Sender Sender
	Log    *slog.Logger
	// Batch is how many messages one claim takes (default 20).
	Batch int
	// Lease is how long a claim holds a message before another worker may
	// take it over (default 2 minutes; longer than one SMTP send can take).
	Lease time.Duration
	// Poll is the pause when nothing is due (default 2 s).
	Poll time.Duration
	// MaxAttempts before a message is marked failed (default 8: about a day
	// of retries with the default backoff).
	MaxAttempts int
	// Backoff is the delay after failed attempt n (1-based); default
	// 1 min * 2^(n-1) with jitter, capped at 6 h.
	Backoff func(attempt int) time.Duration
}

func (w *Worker) defaults() {
	if w.Batch <= 0 {
		w.Batch = 20
	}
	if w.Lease <= 0 {
		w.Lease = 2 * time.Minute
	}
	if w.Poll <= 0 {
		w.Poll = 2 * time.Second
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 8
	}
	if w.Backoff == nil {
		w.Backoff = DefaultBackoff
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
}

// DefaultBackoff doubles from one minute, caps at six hours and adds up to
// 20% jitter so that messages failing together do not retry together.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := time.Minute
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 6*time.Hour)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

// Run delivers messages until ctx ends. Database or SMTP outages are logged
// and waited out; Run returns only when ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	w.defaults()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("outbox: batch failed", "err", redact(err))
		}
		if n >= w.Batch && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.Poll):
		}
	}
}

// RunOnce claims one batch and sends it, returning how many were claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	token := uuid.NewString()
	msgs, err := w.Store.ClaimOutbox(ctx, w.Store.DB, w.Batch, w.Lease, token)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	// Outcomes are recorded even when ctx is cancelled mid-batch (shutdown),
	// so that a delivered message is not sent again.
	rec := context.WithoutCancel(ctx)
	var sess Session
	defer func() {
		if sess != nil {
			sess.Close()
		}
	}()
	for i, m := range msgs {
		if ctx.Err() != nil {
			w.release(rec, msgs[i:], token)
			return len(msgs), nil
		}
		ok, err := w.Store.RenewOutboxClaim(ctx, w.Store.DB, m.ID, token, w.Lease)
		if err != nil {
			w.release(rec, msgs[i:], token)
			return len(msgs), err
		}
		if !ok {
			continue // lost the claim: another worker has it
		}
		atts, err := w.Store.OutboxAttachments(ctx, w.Store.DB, m.ID)
		if err != nil {
			w.release(rec, msgs[i:], token)
			return len(msgs), err
		}
		if sess == nil {
			if sess, err = w.Sender.Session(ctx); err != nil {
				sess = nil
				w.fail(rec, m, token, err)
				continue
			}
		}
		err = sess.Send(ctx, Envelope{OutboxMessage: m, Attachments: atts})
		if err != nil {
			// The connection may be unusable after an error: start afresh.
			sess.Close()
			sess = nil
			w.fail(rec, m, token, err)
			continue
		}
		if _, err := w.Store.MarkOutboxSent(rec, w.Store.DB, m.ID, token, w.Sender.Via()); err != nil {
			// The message went out; the row will be resent with the same
			// Message-ID after the lease (see the package comment).
			w.Log.Error("outbox: sent but not recorded", "outbox_id", m.ID, "err", redact(err))
		}
	}
	return len(msgs), nil
}

// fail records a failed attempt: retry later, or give up.
func (w *Worker) fail(ctx context.Context, m store.OutboxMessage, token string, sendErr error) {
	msg := truncate(sendErr.Error(), 1000)
	if IsPermanent(sendErr) || m.Attempts >= w.MaxAttempts {
		w.Log.Warn("outbox: message failed", "outbox_id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", redact(sendErr))
		if _, err := w.Store.MarkOutboxFailed(ctx, w.Store.DB, m.ID, token, msg); err != nil {
			w.Log.Error("outbox: recording failure", "outbox_id", m.ID, "err", redact(err))
		}
		return
	}
	after := w.Backoff(m.Attempts)
	w.Log.Info("outbox: will retry", "outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "after", after, "err", redact(sendErr))
	if _, err := w.Store.MarkOutboxRetry(ctx, w.Store.DB, m.ID, token, msg, after); err != nil {
		w.Log.Error("outbox: recording retry", "outbox_id", m.ID, "err", redact(err))
	}
}

// release hands unsent claimed messages back at once (shutdown, database error).
func (w *Worker) release(ctx context.Context, ms []store.OutboxMessage, token string) {
	for _, m := range ms {
		if _, err := w.Store.MarkOutboxRetry(ctx, w.Store.DB, m.ID, token, m.LastError, 0); err != nil {
			// The lease expires on its own.
			return
		}
	}
}

var emailLike = regexp.MustCompile(`[^\s<>"'@]+@[^\s<>"']+`)

// redact keeps addresses out of log lines (SMTP errors often quote them).
func redact(err error) string {
	return emailLike.ReplaceAllString(err.Error(), "<address>")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}

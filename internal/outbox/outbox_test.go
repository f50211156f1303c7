package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
)

func msg(i int) outbox.Message {
	return outbox.Message{
		Kind: "test", To: fmt.Sprintf("p%d@example.org", i), Language: "en",
		Subject: fmt.Sprintf("Message %d", i), Text: "Hello", HTML: "<p>Hello</p>",
	}
}

func enqueue(t *testing.T, st *store.Store, ob *outbox.Outbox, ms ...outbox.Message) []outbox.Queued {
	t.Helper()
	var out []outbox.Queued
	err := st.InTx(context.Background(), func(tx *sqlx.Tx) error {
		for _, m := range ms {
			q, err := ob.Enqueue(context.Background(), tx, m)
			if err != nil {
				return err
			}
			out = append(out, q)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEnqueue(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	ob := outbox.New(st, "https://attend.example.lv:8443")
	m := msg(1)
	m.Attachments = []outbox.Attachment{
		{Filename: "qr.png", ContentType: "image/png", ContentID: "qr@x", Content: []byte{1, 2, 3}},
		{Filename: "ticket.pdf", ContentType: "application/pdf", Content: []byte("%PDF")},
	}
	q := enqueue(t, st, ob, m)[0]
	if !strings.HasPrefix(q.MessageID, "<") || !strings.HasSuffix(q.MessageID, "@attend.example.lv>") {
		t.Errorf("Message-ID %q: want <uuid@attend.example.lv>", q.MessageID)
	}
	row, err := st.Outbox(ctx, st.DB, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Status != "queued" || row.MessageID != q.MessageID || row.ToAddr != m.To || row.Attempts != 0 {
		t.Errorf("stored row = %+v", row)
	}
	atts, err := st.OutboxAttachments(ctx, st.DB, q.ID)
	if err != nil || len(atts) != 2 || atts[0].ContentID != "qr@x" || string(atts[1].Content) != "%PDF" {
		t.Fatalf("attachments = %+v, %v", atts, err)
	}

	t.Run("rolled back with the change", func(t *testing.T) {
		before, _ := st.OutboxStats(ctx, st.DB)
		err := st.InTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := ob.Enqueue(ctx, tx, msg(2)); err != nil {
				return err
			}
			return errors.New("the change failed")
		})
		if err == nil {
			t.Fatal("want the error")
		}
		after, _ := st.OutboxStats(ctx, st.DB)
		if after.Queued != before.Queued {
			t.Errorf("queued %d -> %d: the message outlived its rolled-back transaction", before.Queued, after.Queued)
		}
	})

	t.Run("dedup key", func(t *testing.T) {
		m := msg(3)
		m.DedupKey = "reminder:42"
		first := enqueue(t, st, ob, m)[0]
		second := enqueue(t, st, ob, m)[0]
		if first.Duplicate || first.ID == 0 || !second.Duplicate || second.ID != 0 {
			t.Errorf("first %+v, second %+v: want one stored, one duplicate", first, second)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		cases := map[string]func(*outbox.Message){
			"no kind":         func(m *outbox.Message) { m.Kind = "" },
			"no recipient":    func(m *outbox.Message) { m.To = " " },
			"header smuggle":  func(m *outbox.Message) { m.To = "a@example.org\r\nBcc: b@example.org" },
			"subject newline": func(m *outbox.Message) { m.Subject = "a\nb" },
			"no text":         func(m *outbox.Message) { m.Text = "" },
			"empty file": func(m *outbox.Message) {
				m.Attachments = []outbox.Attachment{{Filename: "a", ContentType: "text/plain"}}
			},
		}
		for name, mod := range cases {
			m := msg(4)
			mod(&m)
			if _, err := ob.Enqueue(ctx, st.DB, m); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
	})
}

// recorder is a Sender that records deliveries and fails on demand.
type recorder struct {
	mu    sync.Mutex
	sent  map[string]int // Message-ID -> deliveries
	fail  func(e outbox.Envelope) error
	delay time.Duration
}

func (r *recorder) Via() string { return "smtp" }
func (r *recorder) Session(context.Context) (outbox.Session, error) {
	return r, nil
}
func (r *recorder) Send(_ context.Context, e outbox.Envelope) error {
	if r.delay > 0 {
		time.Sleep(r.delay)
	}
	if r.fail != nil {
		if err := r.fail(e); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sent == nil {
		r.sent = map[string]int{}
	}
	r.sent[e.MessageID]++
	return nil
}
func (r *recorder) Close() error { return nil }

type permanentErr struct{}

func (permanentErr) Error() string   { return "550 5.1.1 <p@example.org>: no such user" }
func (permanentErr) Permanent() bool { return true }

func TestWorkerRetriesAndFails(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	ob := outbox.New(st, "http://localhost:8080")
	qs := enqueue(t, st, ob, msg(1), msg(2), msg(3))
	tempID, permID, okID := qs[0].ID, qs[1].ID, qs[2].ID
	rec := &recorder{fail: func(e outbox.Envelope) error {
		switch e.ID {
		case tempID:
			return errors.New("421 4.3.2 try again later")
		case permID:
			return permanentErr{}
		}
		return nil
	}}
	w := &outbox.Worker{Store: st, Sender: rec, MaxAttempts: 3, Backoff: func(int) time.Duration { return 0 }}
	for range 5 {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		id       int64
		status   string
		attempts int
		err      string
	}{
		{tempID, "failed", 3, "421"},
		{permID, "failed", 1, "550"},
		{okID, "sent", 1, ""},
	}
	for _, c := range cases {
		m, err := st.Outbox(ctx, st.DB, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != c.status || m.Attempts != c.attempts || !strings.Contains(m.LastError, c.err) {
			t.Errorf("message %d: status %s attempts %d error %q; want %s %d %q", c.id, m.Status, m.Attempts, m.LastError, c.status, c.attempts, c.err)
		}
	}
	if m, _ := st.Outbox(ctx, st.DB, okID); m.DeliveredVia != "smtp" || m.SentAt == nil {
		t.Errorf("sent row: via %q sent_at %v", m.DeliveredVia, m.SentAt)
	}

	// Backoff: a temporary failure waits before the next attempt.
	q := enqueue(t, st, ob, msg(4))[0]
	rec.fail = func(outbox.Envelope) error { return errors.New("451 busy") }
	w2 := &outbox.Worker{Store: st, Sender: rec, MaxAttempts: 5, Backoff: func(n int) time.Duration { return time.Hour }}
	if _, err := w2.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m, _ := st.Outbox(ctx, st.DB, q.ID)
	if m.Status != "queued" || m.SendAfter.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("after a temporary failure: status %s, send_after %v; want queued about an hour ahead", m.Status, m.SendAfter)
	}
	if n, _ := w2.RunOnce(ctx); n != 0 {
		t.Errorf("claimed %d messages that are not due", n)
	}

	// An admin retry queues a failed message again, once.
	if err := st.RetryOutbox(ctx, st.DB, tempID); err != nil {
		t.Fatal(err)
	}
	if err := st.RetryOutbox(ctx, st.DB, tempID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second retry: %v, want ErrNotFound", err)
	}
	rec.fail = nil
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.Outbox(ctx, st.DB, tempID); m.Status != "sent" {
		t.Errorf("retried message: %s, want sent", m.Status)
	}
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := outbox.DefaultBackoff(n)
		base := min(time.Minute<<(n-1), 6*time.Hour)
		if d < base || d > base+base/5 {
			t.Errorf("attempt %d: %v, want %v plus at most 20%%", n, d, base)
		}
		if n > 1 && d < prev/2 {
			t.Errorf("attempt %d: %v shrank from %v", n, d, prev)
		}
		prev = d
	}
}

// Several workers (as on several instances) deliver each message once.
func TestConcurrentWorkers(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	ob := outbox.New(st, "http://localhost")
	var ms []outbox.Message
	for i := range 120 {
		ms = append(ms, msg(i))
	}
	enqueue(t, st, ob, ms...)
	rec := &recorder{delay: time.Millisecond}
	var wg sync.WaitGroup
	var claimed atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &outbox.Worker{Store: st, Sender: rec, Batch: 7}
			for {
				n, err := w.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
				claimed.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	if len(rec.sent) != 120 {
		t.Errorf("delivered %d distinct messages, want 120", len(rec.sent))
	}
	for id, n := range rec.sent {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if claimed.Load() != 120 {
		t.Errorf("claimed %d rows in total, want 120", claimed.Load())
	}
	stats, _ := st.OutboxStats(ctx, st.DB)
	if stats.Sent != 120 || stats.Queued+stats.Sending+stats.Failed != 0 {
		t.Errorf("stats %+v", stats)
	}
}

// A worker whose lease ran out (it stalled) loses the message to another and
// does not send it as well: the claim token fences it.
func TestLostClaimIsNotSent(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	ob := outbox.New(st, "http://localhost")
	q := enqueue(t, st, ob, msg(1))[0]
	stale, err := st.ClaimOutbox(ctx, st.DB, 1, time.Millisecond, "00000000-0000-0000-0000-000000000001")
	if err != nil || len(stale) != 1 {
		t.Fatalf("claim: %v %d", err, len(stale))
	}
	time.Sleep(5 * time.Millisecond) // let the 1 ms lease lapse
	rec := &recorder{}
	w := &outbox.Worker{Store: st, Sender: rec}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("takeover: %d, %v", n, err)
	}
	ok, err := st.RenewOutboxClaim(ctx, st.DB, q.ID, "00000000-0000-0000-0000-000000000001", time.Minute)
	if err != nil || ok {
		t.Errorf("stale worker renewed its lost claim: %v %v", ok, err)
	}
	if ok, _ := st.MarkOutboxSent(ctx, st.DB, q.ID, "00000000-0000-0000-0000-000000000001", "smtp"); ok {
		t.Error("stale worker marked a message it no longer holds")
	}
	if len(rec.sent) != 1 {
		t.Errorf("sent %d", len(rec.sent))
	}
}

package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Online door scans that arrive while others are being written go to the
// database together: one statement, one transaction and one commit for the
// lot (group commit). On two cores a commit and a round trip cost PostgreSQL
// more than a scan's own work, so a busy door pays them once for many scans;
// a quiet one sends each scan at once, as before, and waits for nothing.
// Each scan in a batch is door_scan, as alone: the partial unique index
// still decides who is in, and a person scanned twice in one batch is
// admitted once (the later scan sees the earlier one's admission).
//
// If a batch fails (a retried scan id, a deadlock with another instance's
// batch, a lost connection), its scans are run again one by one, each in its
// own transaction, and each answers for itself.

const (
	// doorBatchMax bounds a batch: a longer one would make its first scan
	// wait for the last.
	doorBatchMax = 32
	// doorBatchStall is how long a batch may run before the next goes beside
	// it. One batch at a time gathers the most scans per commit (a second
	// one at once took the scans two at a time and cost more per scan: 3,300
	// against 4,000 scans a second on two cores); a batch held up, by a lock
	// of an offline upload or another instance or by a slow disk, holds up
	// the door no longer than this.
	doorBatchStall = 5 * time.Millisecond
	// doorBatchTimeout bounds a batch's statement: it is no longer tied to
	// any one request.
	doorBatchTimeout = 30 * time.Second
)

// selectDoorScanBatch runs door_scan for each item, in the order of seq, and
// answers with each item's ord. door_scan is volatile: PostgreSQL evaluates
// it after the sort, so the scans happen in that order.
const selectDoorScanBatch = `SELECT t.ord, door_scan(decode(t.token_hash, 'hex'), t.device_id, t.user_id, t.event_id,
	t.ticket_id, t.result, t.reason, t.day, t.at, t.scan_id, t.method, t.today, t.touch, t.exit, t.exits, t.offline, t.payload) AS answer
FROM jsonb_to_recordset($1::jsonb) AS t(ord int, seq int, token_hash text, device_id bigint, user_id bigint, event_id bigint,
	ticket_id bigint, result text, reason text, day date, at timestamptz, scan_id uuid, method text, today boolean,
	touch boolean, exit boolean, exits boolean, offline boolean, payload text)
ORDER BY t.seq`

// doorBatchItem is one scan as selectDoorScanBatch reads it.
type doorBatchItem struct {
	Ord       int       `json:"ord"` // the scan's place in the batch
	Seq       int       `json:"seq"` // the order the scans run in
	TokenHash *string   `json:"token_hash"`
	DeviceID  *int64    `json:"device_id"`
	UserID    *int64    `json:"user_id"`
	EventID   int64     `json:"event_id"`
	TicketID  *int64    `json:"ticket_id"`
	Result    string    `json:"result"`
	Reason    string    `json:"reason"`
	Day       string    `json:"day"`
	At        time.Time `json:"at"`
	ScanID    string    `json:"scan_id"`
	Method    string    `json:"method"`
	Today     bool      `json:"today"`
	Touch     bool      `json:"touch"`
	Exit      bool      `json:"exit"`
	Exits     bool      `json:"exits"`
	Offline   bool      `json:"offline"`
	Payload   *string   `json:"payload"`
}

var errStoreClosed = errors.New("store closed")

type doorAnswer struct {
	answer []byte
	ok     bool
	err    error
}

type queuedScan struct {
	sc   DoorScan
	done chan doorAnswer // buffered: the batch never waits for its caller
}

// doorBatcher gathers a Store's online scans (its zero value is ready; its
// loop starts with the first scan).
type doorBatcher struct {
	start sync.Once
	queue chan *queuedScan
	// primary is the slot of the batch running; spare that of one sent
	// beside it after doorBatchStall.
	primary, spare chan struct{}
	quit           chan struct{}
	stop           sync.Once

	mu               sync.Mutex
	batches, batched int64 // batches of two or more, and their scans
}

// DoorBatchStats is how many batches of two or more scans were written, and
// how many scans they held (the rest went alone).
func (s *Store) DoorBatchStats() (batches, scans int64) {
	b := &s.doors
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.batches, b.batched
}

func (s *Store) doorQueue() chan *queuedScan {
	b := &s.doors
	b.start.Do(func() {
		b.queue = make(chan *queuedScan, 4*doorBatchMax)
		b.primary, b.spare = make(chan struct{}, 1), make(chan struct{}, 1)
		b.quit = make(chan struct{})
		go s.doorLoop()
	})
	return b.queue
}

// stopDoors ends the loop (Close).
func (s *Store) stopDoors() {
	b := &s.doors
	b.start.Do(func() {}) // never started: nothing to stop
	if b.quit != nil {
		b.stop.Do(func() { close(b.quit) })
	}
}

// doorLoop takes a slot, then the scans waiting (at least one), and runs
// them: while the batch runs the queue fills and the next batch grows.
func (s *Store) doorLoop() {
	b := &s.doors
	for {
		slot := b.slot()
		if slot == nil {
			return
		}
		var batch []*queuedScan
		select {
		case q := <-b.queue:
			batch = append(batch, q)
		case <-b.quit:
			return
		}
	fill:
		for len(batch) < doorBatchMax {
			select {
			case q := <-b.queue:
				batch = append(batch, q)
			default:
				break fill
			}
		}
		go func() {
			defer func() { <-slot }()
			s.runDoorBatch(batch)
		}()
	}
}

// slot waits for the primary slot, or for either once the batch in it has
// run doorBatchStall; nil when the store closes.
func (b *doorBatcher) slot() chan struct{} {
	select {
	case b.primary <- struct{}{}:
		return b.primary
	default:
	}
	stall := time.NewTimer(doorBatchStall)
	defer stall.Stop()
	select {
	case b.primary <- struct{}{}:
		return b.primary
	case <-stall.C:
	case <-b.quit:
		return nil
	}
	select {
	case b.primary <- struct{}{}:
		return b.primary
	case b.spare <- struct{}{}:
		return b.spare
	case <-b.quit:
		return nil
	}
}

// submitDoorScan queues sc and waits for its answer. A caller that gives up
// gets its context's error; the scan may still be written, and a retry with
// the same scan id answers what it answered.
func (s *Store) submitDoorScan(ctx context.Context, sc DoorScan) ([]byte, bool, error) {
	queue := s.doorQueue()
	if queue == nil { // closed
		return s.doorScanOne(ctx, s.DB, sc)
	}
	q := &queuedScan{sc: sc, done: make(chan doorAnswer, 1)}
	select {
	case queue <- q:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case <-s.doors.quit:
		return nil, false, errStoreClosed
	}
	select {
	case a := <-q.done:
		return a.answer, a.ok, a.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case <-s.doors.quit:
		select {
		case a := <-q.done: // written as the store closed
			return a.answer, a.ok, a.err
		default:
			return nil, false, errStoreClosed
		}
	}
}

func (s *Store) runDoorBatch(batch []*queuedScan) {
	ctx, cancel := context.WithTimeout(context.Background(), doorBatchTimeout)
	defer cancel()
	if len(batch) > 1 {
		answers, err := s.doorScanBatch(ctx, batch)
		if err == nil {
			s.doors.mu.Lock()
			s.doors.batches++
			s.doors.batched += int64(len(batch))
			s.doors.mu.Unlock()
			for i, q := range batch {
				q.done <- answers[i]
			}
			return
		}
		// Nothing of the batch was written: each scan again, alone.
	}
	for _, q := range batch {
		a, ok, err := s.doorScanOne(ctx, s.DB, q.sc)
		q.done <- doorAnswer{a, ok, err}
	}
}

// doorScanBatch runs the batch in one statement and returns the answers in
// the batch's order. Scans run in the order of their tickets, so that two
// batches (of two instances) meeting the same people lock them in the same
// order.
func (s *Store) doorScanBatch(ctx context.Context, batch []*queuedScan) ([]doorAnswer, error) {
	order := make([]int, len(batch))
	for i := range order {
		order[i] = i
	}
	ticket := func(i int) int64 {
		if t := batch[i].sc.TicketID; t != nil {
			return *t
		}
		return 0
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ticket(a), ticket(b)) })
	items := make([]doorBatchItem, len(batch))
	for pos, i := range order {
		sc := batch[i].sc
		if sc.Method == "" {
			sc.Method = "qr"
		}
		it := doorBatchItem{Ord: i, Seq: pos, DeviceID: sc.DeviceID, UserID: sc.UserID, EventID: sc.EventID, TicketID: sc.TicketID,
			Result: sc.Result, Reason: sc.Reason, Day: sc.Day.Format(time.DateOnly), At: sc.At, ScanID: sc.ScanID,
			Method: sc.Method, Today: sc.Today, Touch: sc.Touch, Exit: sc.Out, Exits: sc.Exits, Offline: sc.Offline,
			Payload: sc.payload()}
		if sc.TokenHash != nil {
			h := hex.EncodeToString(sc.TokenHash)
			it.TokenHash = &h
		}
		items[pos] = it
	}
	arg, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Ord    int     `db:"ord"`
		Answer *[]byte `db:"answer"`
	}
	if err := selectHot(ctx, s.DB, s.hotDoorScanBatch(), &rows, selectDoorScanBatch, string(arg)); err != nil {
		return nil, wrap("door scan batch", err)
	}
	out := make([]doorAnswer, len(batch))
	seen := make([]bool, len(batch))
	for _, r := range rows {
		if r.Ord < 0 || r.Ord >= len(batch) || seen[r.Ord] {
			return nil, fmt.Errorf("door scan batch: answer %d out of place", r.Ord)
		}
		seen[r.Ord] = true
		switch {
		case r.Answer == nil: // the token is not live
		case bytes.Equal(*r.Answer, unverified):
			out[r.Ord] = doorAnswer{err: ErrUnverified}
		default:
			out[r.Ord] = doorAnswer{answer: *r.Answer, ok: true}
		}
	}
	if len(rows) != len(batch) {
		return nil, fmt.Errorf("door scan batch: %d answers for %d scans", len(rows), len(batch))
	}
	return out, nil
}

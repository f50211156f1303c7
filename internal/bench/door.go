package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// NewClient is one door phone: its own connection, kept alive, and a
// deadline well above the server's own request timeout.
func NewClient() *http.Client {
	return &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, IdleConnTimeout: 90 * time.Second},
	}
}

// ScanAnswer is what the scan API answered.
type ScanAnswer struct {
	Status     int
	Result     string
	RetryAfter string
	Body       []byte
}

// Scan posts one scan with a device token, as the scanner page does.
func Scan(ctx context.Context, c *http.Client, baseURL, token, payload, scanID string) (ScanAnswer, error) {
	body, _ := json.Marshal(map[string]string{
		"payload": payload, "scan_id": scanID, "scanned_at": time.Now().UTC().Format(time.RFC3339Nano),
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/scans", bytes.NewReader(body))
	if err != nil {
		return ScanAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return ScanAnswer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	a := ScanAnswer{Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After"), Body: b}
	if err != nil {
		return a, err
	}
	if resp.StatusCode == http.StatusOK {
		var r struct {
			Result string `json:"result"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return a, fmt.Errorf("scan answer: %w", err)
		}
		a.Result = r.Result
	}
	return a, nil
}

// pool hands out tickets to scan: each valid ticket once in order, plus a
// share of repeats (a person scanned twice) and forgeries.
type pool struct {
	tickets          []Ticket
	next             atomic.Int64
	wrapped          atomic.Bool
	dupRate, forgery float64
}

// pick returns the index of a ticket to scan, or -1 for a forgery.
func (p *pool) pick(rng *rand.Rand) int {
	x := rng.Float64()
	n := p.next.Load()
	switch {
	case x < p.forgery:
		return -1
	case x < p.forgery+p.dupRate && n > 0:
		return int(rng.Int64N(min(n, int64(len(p.tickets)))))
	}
	i := p.next.Add(1) - 1
	if i >= int64(len(p.tickets)) {
		p.wrapped.Store(true)
	}
	return int(i % int64(len(p.tickets)))
}

// payload is the text a scanner reads for pick's answer.
func (p *pool) payload(rng *rand.Rand, i int) string {
	if i < 0 {
		return Forge(p.tickets[rng.IntN(len(p.tickets))].Payload)
	}
	return p.tickets[i].Payload
}

// DoorLoad is the door scenario: each device scans as fast as the server
// answers (a phone waits for the answer before the next ticket).
type DoorLoad struct {
	URL      string
	Tokens   []string
	Tickets  []Ticket
	Duration time.Duration
	// DupRate and ForgeRate are the shares of repeated and forged scans.
	DupRate, ForgeRate float64
	// Rate is the scans per second of each device; 0 scans as fast as the
	// answers come (to find the most the system can do).
	Rate float64
}

// pacer spaces one device's scans at a fixed rate; a device that falls
// behind does not burst to catch up (a person at the door waits anyway).
type pacer struct {
	every time.Duration
	next  time.Time
}

func newPacer(rate float64) *pacer {
	if rate <= 0 {
		return nil
	}
	every := time.Duration(float64(time.Second) / rate)
	// Devices start at random points of the interval, not in lockstep.
	return &pacer{every: every, next: time.Now().Add(time.Duration(rand.Int64N(int64(every))))}
}

func (p *pacer) wait(ctx context.Context) {
	if p == nil {
		return
	}
	if d := time.Until(p.next); d > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
	}
	p.next = p.next.Add(p.every)
	if now := time.Now(); p.next.Before(now) {
		p.next = now
	}
}

// Run drives the load and returns its statistics; wrapped reports that the
// ticket pool ran out and tickets were scanned again (more already_admitted).
func (d DoorLoad) Run(ctx context.Context) (st Stats, wrapped bool) {
	p := &pool{tickets: d.Tickets, dupRate: d.DupRate, forgery: d.ForgeRate}
	rec := newRecorder()
	// The run stops starting scans at the end of its time and lets those under
	// way finish: cancelling them would end the server's transactions
	// mid-way, and the connections with them (and the CPU of their backends
	// with the processes).
	stop, cancel := context.WithTimeout(ctx, d.Duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i, tok := range d.Tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := NewClient()
			defer c.CloseIdleConnections()
			rng := rand.New(rand.NewPCG(uint64(i)+1, uint64(time.Now().UnixNano())))
			pace := newPacer(d.Rate)
			for stop.Err() == nil {
				pace.wait(stop)
				if stop.Err() != nil {
					return
				}
				payload := p.payload(rng, p.pick(rng))
				t0 := time.Now()
				a, err := Scan(ctx, c, d.URL, tok, payload, uuid.NewString())
				dur := time.Since(t0)
				switch {
				case ctx.Err() != nil:
					return // interrupted: not counted
				case err != nil:
					rec.Fail(dur, "transport_error", err)
				case a.Status == http.StatusOK:
					rec.Add(dur, a.Result, false)
				default:
					rec.Add(dur, "http_"+strconv.Itoa(a.Status), a.Status >= 500 || a.Status == 429)
				}
			}
		}()
	}
	wg.Wait()
	st = rec.Stats(time.Since(start))
	if d.Rate > 0 {
		st.P99BySecond, st.MaxBySecond = rec.BySecond()
	}
	return st, p.wrapped.Load()
}

// BareDoor runs, with the same concurrency and mix, the statement the server
// issues for one scan (read from internal/checkin: door_scan, which checks the
// device's token, admits once a day and logs the scan with its answer; the
// device's last_seen_at once a minute; the event and its keys are read once,
// as the server reuses them for a few seconds, and the token's device once, as
// the server remembers it) through the store's own method, straight on the
// database: the most the database can do for the server's statements, without
// HTTP, JSON, signatures or the server's scheduling.
type BareDoor struct {
	Store    *store.Store
	EventID  int64
	Tokens   []string
	Tickets  []Ticket
	Duration time.Duration

	DupRate, ForgeRate float64
	Rate               float64 // as DoorLoad.Rate
}

// Run drives the bare loop.
func (b BareDoor) Run(ctx context.Context) (st Stats, wrapped bool) {
	p := &pool{tickets: b.Tickets, dupRate: b.DupRate, forgery: b.ForgeRate}
	rec := newRecorder()
	// The server reads the event and its keys once every few seconds: once here.
	ev, err := b.Store.Event(ctx, b.Store.DB, b.EventID)
	if err == nil {
		_, err = b.Store.EventKeys(ctx, b.Store.DB, b.EventID)
	}
	devices := make([]int64, len(b.Tokens))
	for i, tok := range b.Tokens {
		if err != nil {
			break
		}
		var o store.TokenOwner
		if o, err = b.Store.TokenOwner(ctx, b.Store.DB, auth.Hash(tok)); err == nil && o.DeviceID != nil {
			devices[i] = *o.DeviceID
		}
	}
	if err != nil {
		rec.Fail(0, "error", err)
		return rec.Stats(0), false
	}
	// As DoorLoad: no new scans after the time, those under way finish.
	stop, cancel := context.WithTimeout(ctx, b.Duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i, tok := range b.Tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hash := auth.Hash(tok)
			var touched time.Time
			rng := rand.New(rand.NewPCG(uint64(i)+1, uint64(time.Now().UnixNano())))
			pace := newPacer(b.Rate)
			for stop.Err() == nil {
				pace.wait(stop)
				if stop.Err() != nil {
					return
				}
				idx := p.pick(rng)
				t0 := time.Now()
				outcome, err := b.scan(ctx, ev, hash, devices[i], idx, &touched)
				dur := time.Since(t0)
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					rec.Fail(dur, "error", err)
				default:
					rec.Add(dur, outcome, false)
				}
			}
		}()
	}
	wg.Wait()
	st = rec.Stats(time.Since(start))
	if b.Rate > 0 {
		st.P99BySecond, st.MaxBySecond = rec.BySecond()
	}
	return st, p.wrapped.Load()
}

// scanDay is the day a scan at now counts for: today, or the event's first
// day when today is not one of its days.
func scanDay(ev store.Event, now time.Time) time.Time {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if d := ev.Days(); len(d) > 0 && (day.Before(d[0]) || day.After(d[len(d)-1])) {
		day = d[0]
	}
	return day
}

func (b BareDoor) scan(ctx context.Context, ev store.Event, hash []byte, deviceID int64, idx int, touched *time.Time) (string, error) {
	now := time.Now()
	ds := store.DoorScan{TokenHash: hash, DeviceID: &deviceID, EventID: b.EventID, Day: scanDay(ev, now), At: now,
		ScanID: uuid.NewString(), Method: "qr", Today: true}
	if idx >= 0 {
		// As the server sends it: the payload, compared with the stored one.
		ds.TicketID, ds.Payload = &b.Tickets[idx].ID, b.Tickets[idx].Payload
	} else {
		ds.Result, ds.Reason = "invalid", "bad_signature"
	}
	if m := now.Truncate(time.Minute); *touched != m {
		*touched, ds.Touch = m, true
	}
	answer, ok, err := b.Store.DoorScanRun(ctx, b.Store.DB, ds)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errors.New("token refused")
	}
	var r struct {
		Result string `json:"result"`
	}
	if err := json.Unmarshal(answer, &r); err != nil {
		return "", err
	}
	return r.Result, nil
}

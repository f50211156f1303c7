package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/bench"
)

// ledger is what the load was told: every scan and registration the server
// acknowledged with a 2xx answer, to be found in the database afterwards.
type ledger struct {
	mu sync.Mutex
	// scans maps an acknowledged scan id to its answer's result.
	scans map[string]string
	// admittedBy counts "admitted" answers per registration.
	admittedBy map[int64]int
	// admittedScans are the scan ids answered "admitted".
	admittedScans []string
	// registrations are the addresses whose registration was answered 202.
	registrations []string
}

func newLedger() *ledger {
	return &ledger{scans: map[string]string{}, admittedBy: map[int64]int{}}
}

// counter is one kind of request's outcomes, latencies and completions per second.
type counter struct {
	mu        sync.Mutex
	start     time.Time
	outcomes  map[string]int
	latencies []time.Duration
	perSecond []int
	retries   int
}

func newCounter(start time.Time) *counter { return &counter{start: start, outcomes: map[string]int{}} }

func (c *counter) add(outcome string, ok bool, d time.Duration, retries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.outcomes[outcome]++
	c.retries += retries
	if !ok {
		return
	}
	c.latencies = append(c.latencies, d)
	s := int(time.Since(c.start) / time.Second)
	for len(c.perSecond) <= s {
		c.perSecond = append(c.perSecond, 0)
	}
	c.perSecond[s]++
}

// Stats summarises a load phase of one kind of request.
type Stats struct {
	OK         int            `json:"ok"`
	Seconds    float64        `json:"seconds"`
	PerSecond  float64        `json:"per_second"`
	P50, P99   float64        `json:"-"`
	Retries    int            `json:"retries"`
	Outcomes   map[string]int `json:"outcomes"`
	PerSecondN []int          `json:"-"`
}

func (c *counter) stats(elapsed time.Duration) Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := slices.Clone(c.latencies)
	slices.Sort(l)
	s := Stats{OK: len(l), Seconds: elapsed.Seconds(), Retries: c.retries, Outcomes: map[string]int{}, PerSecondN: slices.Clone(c.perSecond)}
	for k, v := range c.outcomes {
		s.Outcomes[k] = v
	}
	if elapsed > 0 {
		s.PerSecond = float64(len(l)) / elapsed.Seconds()
	}
	if n := len(l); n > 0 {
		s.P50 = msOf(l[n/2])
		s.P99 = msOf(l[min(n-1, n*99/100)])
	}
	return s
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (s Stats) String() string {
	keys := make([]string, 0, len(s.Outcomes))
	for k := range s.Outcomes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	oc := ""
	for _, k := range keys {
		oc += fmt.Sprintf(" %s=%d", k, s.Outcomes[k])
	}
	return fmt.Sprintf("%d acknowledged in %.1fs = %.0f/s, p50 %.1f ms, p99 %.1f ms, retried %d [%s ]",
		s.OK, s.Seconds, s.PerSecond, s.P50, s.P99, s.Retries, oc)
}

// load drives door scans and registrations against one base URL.
type load struct {
	url      string
	tokens   []string
	tickets  []bench.Ticket
	next     *atomic.Int64 // the next unscanned ticket, shared by every phase
	slug     string        // the event people register for
	clients  int
	regSeq   *atomic.Int64
	tag      string // makes the run's addresses unique
	ledger   *ledger
	repeat   float64 // share of scans of a ticket already scanned
	maxRetry int
}

// run drives the load until ctx's deadline; the requests under way finish.
func (l *load) run(ctx context.Context, stop <-chan struct{}) (door, reg Stats) {
	start := time.Now()
	dc, rc := newCounter(start), newCounter(start)
	var wg sync.WaitGroup
	for i, tok := range l.tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			defer c.CloseIdleConnections()
			rng := rand.New(rand.NewPCG(uint64(i)+1, uint64(time.Now().UnixNano())))
			for !stopped(stop) {
				l.scanOne(ctx, c, tok, rng, dc)
			}
		}()
	}
	for range l.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			defer c.CloseIdleConnections()
			for !stopped(stop) {
				l.registerOne(ctx, c, rc)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	return dc.stats(el), rc.stats(el)
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// scanOne scans a ticket as a phone does: on a lost connection or a 5xx it
// sends the same scan again (the same scan id, so the server answers a
// repeat from its log and never admits twice).
func (l *load) scanOne(ctx context.Context, c *http.Client, tok string, rng *rand.Rand, cnt *counter) {
	n := l.next.Load()
	var idx int64
	if n > 0 && rng.Float64() < l.repeat {
		idx = rng.Int64N(min(n, int64(len(l.tickets))))
	} else {
		idx = l.next.Add(1) - 1
		if idx >= int64(len(l.tickets)) {
			idx = rng.Int64N(int64(len(l.tickets))) // the pool ran out: a repeat
		}
	}
	t := l.tickets[idx]
	scanID := uuid.NewString()
	t0 := time.Now()
	for attempt := 0; ; attempt++ {
		a, err := bench.Scan(ctx, c, l.url, tok, t.Payload, scanID)
		if err == nil && a.Status == http.StatusOK {
			l.ledger.mu.Lock()
			l.ledger.scans[scanID] = a.Result
			if a.Result == "admitted" {
				l.ledger.admittedBy[t.RegistrationID]++
				l.ledger.admittedScans = append(l.ledger.admittedScans, scanID)
			}
			l.ledger.mu.Unlock()
			cnt.add(a.Result, true, time.Since(t0), attempt)
			return
		}
		outcome := "transport_error"
		if err == nil {
			outcome = "http_" + strconv.Itoa(a.Status)
		}
		retryable := err != nil || a.Status >= 500 || a.Status == http.StatusTooManyRequests
		if !retryable || attempt >= l.maxRetry || ctx.Err() != nil {
			cnt.add(outcome, false, time.Since(t0), attempt)
			return
		}
		c.CloseIdleConnections() // a new connection, as a phone gets after an error
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
}

// registerOne posts one registration; a 202 must end up in the database.
// Not retried: the answer does not say whether the address was new.
func (l *load) registerOne(ctx context.Context, c *http.Client, cnt *counter) {
	n := l.regSeq.Add(1)
	email := fmt.Sprintf("scale-%s-%d@example.org", l.tag, n)
	addr := fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
	t0 := time.Now()
	status, err := bench.Register(ctx, c, l.url, l.slug, email, addr)
	switch {
	case err != nil:
		cnt.add("transport_error", false, time.Since(t0), 0)
		c.CloseIdleConnections()
	case status == http.StatusAccepted:
		l.ledger.mu.Lock()
		l.ledger.registrations = append(l.ledger.registrations, email)
		l.ledger.mu.Unlock()
		cnt.add("accepted", true, time.Since(t0), 0)
	default:
		cnt.add("http_"+strconv.Itoa(status), false, time.Since(t0), 0)
		if status >= 500 {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// reportSample is one read of the report API during the load.
type reportSample struct {
	Status    int
	Server    string
	Staleness float64
	Fallback  string
	Took      time.Duration
}

// readReport asks the report API for the event's report, as a coordinator's
// dashboard does, and returns where its figures came from.
func readReport(ctx context.Context, c *http.Client, baseURL, slug, token string) reportSample {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/v1/events/"+slug+"/report", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	t0 := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return reportSample{Took: time.Since(t0)}
	}
	defer resp.Body.Close()
	var body struct {
		Source struct {
			Server    string  `json:"server"`
			Staleness float64 `json:"staleness_seconds"`
			Fallback  string  `json:"fallback"`
		} `json:"source"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return reportSample{Status: resp.StatusCode, Server: body.Source.Server, Staleness: body.Source.Staleness,
		Fallback: body.Source.Fallback, Took: time.Since(t0)}
}

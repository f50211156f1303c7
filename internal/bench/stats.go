package bench

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Recorder collects latencies and outcome counts from many goroutines.
type Recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	// started is when each request in latencies began, since the recorder was
	// made: where in a run the slow requests fall.
	started  []time.Duration
	begun    time.Time
	counts   map[string]int
	errors   int
	firstErr string
}

// Fail records a failed request with its error; the first error is kept
// for the summary, so that a broken run says why.
func (r *Recorder) Fail(d time.Duration, outcome string, err error) {
	r.mu.Lock()
	if r.firstErr == "" && err != nil {
		r.firstErr = err.Error()
	}
	r.mu.Unlock()
	r.Add(d, outcome, true)
}

func newRecorder() *Recorder { return &Recorder{counts: map[string]int{}, begun: time.Now()} }

// Add records one request: its latency and outcome (a result or a status).
// Failed requests (transport errors, 5xx) are counted but kept out of the latencies.
func (r *Recorder) Add(d time.Duration, outcome string, failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[outcome]++
	if failed {
		r.errors++
		return
	}
	r.latencies = append(r.latencies, d)
	r.started = append(r.started, time.Since(r.begun)-d)
}

// BySecond is the p99 and the slowest request of each whole second of a run,
// by when the requests began: whether a tail is spread over the run or comes
// from a few stalls.
func (r *Recorder) BySecond() (p99, maxMS []float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var secs [][]time.Duration
	for i, d := range r.latencies {
		s := max(int(r.started[i]/time.Second), 0)
		for len(secs) <= s {
			secs = append(secs, nil)
		}
		secs[s] = append(secs[s], d)
	}
	for _, l := range secs {
		slices.Sort(l)
		p99 = append(p99, pct(l, 0.99))
		if len(l) > 0 {
			maxMS = append(maxMS, ms(l[len(l)-1]))
		} else {
			maxMS = append(maxMS, 0)
		}
	}
	return p99, maxMS
}

// Stats summarises a run.
type Stats struct {
	Requests   int            `json:"requests"`
	OK         int            `json:"ok"`
	Errors     int            `json:"errors"`
	Seconds    float64        `json:"seconds"`
	Throughput float64        `json:"per_second"`
	P50        float64        `json:"p50_ms"`
	P95        float64        `json:"p95_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Outcomes   map[string]int `json:"outcomes"`
	FirstError string         `json:"first_error,omitempty"`
	// For paced runs: the p99 and the slowest request of each second.
	P99BySecond []float64 `json:"p99_by_second_ms,omitempty"`
	MaxBySecond []float64 `json:"max_by_second_ms,omitempty"`
}

// Stats computes the summary for a run that lasted elapsed.
func (r *Recorder) Stats(elapsed time.Duration) Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := slices.Clone(r.latencies)
	slices.Sort(l)
	s := Stats{OK: len(l), Errors: r.errors, Requests: len(l) + r.errors, Seconds: elapsed.Seconds(), Outcomes: map[string]int{}, FirstError: r.firstErr}
	for k, v := range r.counts {
		s.Outcomes[k] = v
	}
	if elapsed > 0 {
		s.Throughput = round2(float64(s.OK) / elapsed.Seconds())
	}
	s.Seconds = round2(s.Seconds)
	s.P50, s.P95, s.P99 = pct(l, 0.50), pct(l, 0.95), pct(l, 0.99)
	if len(l) > 0 {
		s.Max = ms(l[len(l)-1])
	}
	return s
}

func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	i = min(max(i, 0), len(sorted)-1)
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// String is one human line.
func (s Stats) String() string {
	keys := make([]string, 0, len(s.Outcomes))
	for k := range s.Outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var oc []string
	for _, k := range keys {
		oc = append(oc, fmt.Sprintf("%s=%d", k, s.Outcomes[k]))
	}
	line := fmt.Sprintf("%d ok in %.1fs = %.0f/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.1f ms, errors %d [%s]",
		s.OK, s.Seconds, s.Throughput, s.P50, s.P95, s.P99, s.Max, s.Errors, strings.Join(oc, " "))
	if s.FirstError != "" {
		line += "; first error: " + s.FirstError
	}
	return line
}

// floats is a short line of figures.
func floats(f []float64) string {
	s := make([]string, len(f))
	for i, v := range f {
		s[i] = fmt.Sprintf("%.1f", v)
	}
	return strings.Join(s, " ")
}

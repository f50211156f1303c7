package web

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/decode-attend/attend/internal/store"
)

// metrics is the server's own Prometheus registry (no global registry, so
// tests can build several servers in one process).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "attend_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "attend_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

// Registry lets capabilities register their own collectors (outbox, scans).
func (s *Server) Registry() *prometheus.Registry { return s.metrics.reg }

// watch adds the database pool and the outbox to the metrics.
func (m *metrics) watch(st *store.Store) {
	if st == nil {
		return
	}
	m.reg.MustRegister(collectors.NewDBStatsCollector(st.DB.DB, "attend"), &outboxCollector{st: st})
}

var (
	outboxMessagesDesc = prometheus.NewDesc("attend_outbox_messages",
		"Messages in the outbox by state (kept: written to the development mail page instead of sent).", []string{"state"}, nil)
	outboxOldestDesc = prometheus.NewDesc("attend_outbox_oldest_due_seconds",
		"How long the longest-waiting due message has waited (0 when none): mail piling up shows here first.", nil, nil)
)

// outboxCollector reads the outbox at each scrape (one query, at most two
// seconds; nothing is reported when the database does not answer, and
// /readyz says why), since several instances share one outbox.
type outboxCollector struct{ st *store.Store }

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxMessagesDesc
	ch <- outboxOldestDesc
}

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := o.st.OutboxStats(ctx, o.st.DB)
	if err != nil {
		return
	}
	for state, n := range map[string]int{"queued": st.Queued, "sending": st.Sending, "sent": st.Sent, "failed": st.Failed, "kept": st.Kept} {
		ch <- prometheus.MustNewConstMetric(outboxMessagesDesc, prometheus.GaugeValue, float64(n), state)
	}
	var oldest float64
	if st.OldestDue != nil {
		oldest = max(0, time.Since(*st.OldestDue).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, oldest)
}

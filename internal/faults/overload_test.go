package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/bench"
)

// TestOverloadSheds runs a server allowed 4 requests at a time on a pool of 2
// database connections. For the first second four clients hold every slot
// by trickling their bodies (so the test does not depend on how fast this
// machine is), while 64 scanners keep coming; then the slow clients go. The
// excess must be turned away at once with 503 and Retry-After (not queued
// until clients time out, not a 500), health checks must still answer, and
// every scan answered 200 must be in the scan log.
func TestOverloadSheds(t *testing.T) {
	dir := workDir(t)
	dbURL := freshDB(t)
	srv := startServer(t, dbURL, dir, "overload", "ATTEND_MAX_INFLIGHT=4", "ATTEND_DB_MAX_CONNS=2")
	st := openStore(t, dbURL)
	ctx := context.Background()
	ev, tickets, err := bench.SeedTickets(ctx, st, bench.DoorEvent, 3000)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := bench.AddDevices(ctx, st, ev.ID, 8, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		noRetry  int
		badBody  int
		acked    []string
		slowest  time.Duration
		next     atomic.Int64
	)
	var hogs []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL(), "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", tokens[0])
		hogs = append(hogs, c)
	}
	time.Sleep(200 * time.Millisecond) // let them take their slots
	go func() {
		time.Sleep(time.Second)
		for _, c := range hogs {
			c.Close()
		}
	}()
	loadCtx, stop := context.WithTimeout(ctx, 3*time.Second)
	defer stop()
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			tok := tokens[g%len(tokens)]
			for loadCtx.Err() == nil {
				id := uuid.NewString()
				t0 := time.Now()
				ans, err := bench.Scan(loadCtx, c, srv.URL(), tok, tickets[next.Add(1)%int64(len(tickets))].Payload, id)
				if loadCtx.Err() != nil {
					return
				}
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					statuses[-1]++
				} else {
					statuses[ans.Status]++
					switch ans.Status {
					case http.StatusOK:
						acked = append(acked, id)
					case http.StatusServiceUnavailable:
						slowest = max(slowest, d)
						if ans.RetryAfter == "" {
							noRetry++
						}
						var e struct {
							Error struct{ Code string } `json:"error"`
						}
						if json.Unmarshal(ans.Body, &e) != nil || e.Error.Code == "" {
							badBody++
						}
					}
				}
				mu.Unlock()
				if err == nil && ans.Status == http.StatusServiceUnavailable {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	// Health checks while saturated.
	var healthWorst time.Duration
	healthFailed := 0
	hc := &http.Client{Timeout: 2 * time.Second}
	for loadCtx.Err() == nil {
		t0 := time.Now()
		resp, err := hc.Get(srv.URL() + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			healthFailed++
		}
		if err == nil {
			resp.Body.Close()
		}
		healthWorst = max(healthWorst, time.Since(t0))
		time.Sleep(100 * time.Millisecond)
	}
	wg.Wait()

	var found int
	if err := st.DB.GetContext(ctx, &found, `SELECT count(*) FROM scans WHERE scan_id::text = ANY($1)`, pq.Array(acked)); err != nil {
		t.Fatal(err)
	}
	summary(t, "answers 200=%d 503=%d (without Retry-After %d, not a JSON error %d, slowest refusal %v) 500=%d transport errors %d; "+
		"scans acknowledged %d, found %d; /healthz failed %d, slowest %v",
		statuses[200], statuses[503], noRetry, badBody, slowest.Round(time.Millisecond), statuses[500], statuses[-1],
		len(acked), found, healthFailed, healthWorst.Round(time.Millisecond))

	if statuses[503] == 0 {
		t.Errorf("no request was turned away: %v", statuses)
	}
	if statuses[200] == 0 {
		t.Errorf("nothing got through: %v", statuses)
	}
	for s, n := range statuses {
		if s != 200 && s != 503 {
			t.Errorf("%d answers with status %d", n, s)
		}
	}
	if noRetry != 0 || badBody != 0 {
		t.Errorf("503 answers: %d without Retry-After, %d without a JSON error", noRetry, badBody)
	}
	if found != len(acked) {
		t.Errorf("scans acknowledged %d, found %d", len(acked), found)
	}
	if healthFailed != 0 || healthWorst > time.Second {
		t.Errorf("/healthz while saturated: %d failed, slowest %v", healthFailed, healthWorst)
	}
}

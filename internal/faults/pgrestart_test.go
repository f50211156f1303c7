package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/pgembed"
)

// TestPostgresRestartDuringLoad stops PostgreSQL under door load and starts
// it again. While it is down the server must answer 503 with Retry-After and
// a JSON error (never a 500, a panic or a stack), /readyz must say so, and
// after PostgreSQL is back the server must recover by itself within 5 s.
func TestPostgresRestartDuringLoad(t *testing.T) {
	dir := workDir(t)
	ctx := context.Background()
	db, err := bench.FreshDatabase(ctx, "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cluster := db.Cluster
	t.Cleanup(func() { cluster.Stop() })
	srv := startServer(t, db.URL, dir, "pgrestart")
	st := openStore(t, db.URL)
	ev, tickets, err := bench.SeedTickets(ctx, st, bench.DoorEvent, 3000)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := bench.AddDevices(ctx, st, ev.ID, 4, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	var slug string // the event open for registration
	if err := st.DB.GetContext(ctx, &slug, `SELECT slug FROM events ORDER BY first_day DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	st.Close() // the test's own pool must not hold PostgreSQL up

	var (
		mu          sync.Mutex
		statuses    = map[int]int{}
		bad         []string // answers that break the contract
		no503Header int
		transport   atomic.Int64
		last200     atomic.Int64 // unix nanos of the latest 200
		first503    atomic.Int64
	)
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var next atomic.Int64
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			c.Timeout = 20 * time.Second
			rng := rand.New(rand.NewPCG(uint64(i), 5))
			for loadCtx.Err() == nil {
				p := tickets[next.Add(1)%int64(len(tickets))].Payload
				if rng.IntN(50) == 0 {
					p = bench.Forge(p)
				}
				ans, err := bench.Scan(loadCtx, c, srv.URL(), tok, p, uuid.NewString())
				if loadCtx.Err() != nil {
					return
				}
				if err != nil {
					transport.Add(1)
					time.Sleep(20 * time.Millisecond)
					continue
				}
				mu.Lock()
				statuses[ans.Status]++
				switch {
				case ans.Status == http.StatusOK:
					last200.Store(time.Now().UnixNano())
				case ans.Status == http.StatusServiceUnavailable:
					first503.CompareAndSwap(0, time.Now().UnixNano())
					if ans.RetryAfter == "" {
						no503Header++
					}
					if msg := contractBreach(ans.Body); msg != "" {
						bad = append(bad, msg)
					}
				default:
					bad = append(bad, http.StatusText(ans.Status)+": "+truncate(string(ans.Body), 200))
				}
				mu.Unlock()
				if ans.Status != http.StatusOK {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
	}

	// A visitor's page and a registration while the database may be down: a
	// 503 page (or JSON error) with Retry-After, never a 500 or a stack.
	var pageStatuses = map[int]int{}
	var pageBad []string
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := &http.Client{Timeout: 20 * time.Second}
		for n := 0; loadCtx.Err() == nil; n++ {
			var resp *http.Response
			var err error
			if n%2 == 0 {
				resp, err = c.Get(srv.URL() + "/en/events/" + slug)
			} else {
				var b []byte
				b, err = json.Marshal(map[string]any{"first_name": "Down", "last_name": "Time", "email": fmt.Sprintf("down-%d@example.org", n),
					"country": "LV", "city": "Daugavpils", "participation": "local", "language": "en", "privacy_notice_accepted": true})
				if err == nil {
					req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/events/"+slug+"/registrations", bytes.NewReader(b))
					req.Header.Set("Content-Type", "application/json")
					resp, err = c.Do(req)
				}
			}
			if loadCtx.Err() != nil {
				if err == nil {
					resp.Body.Close()
				}
				return
			}
			if err != nil {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mu.Lock()
			pageStatuses[resp.StatusCode]++
			switch {
			case resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable:
				pageBad = append(pageBad, fmt.Sprintf("%d: %s", resp.StatusCode, truncate(string(body), 200)))
			case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "":
				pageBad = append(pageBad, "503 without Retry-After")
			case strings.Contains(string(body), "goroutine ") || strings.Contains(string(body), ".go:"):
				pageBad = append(pageBad, "answer shows a stack: "+truncate(string(body), 200))
			}
			mu.Unlock()
			time.Sleep(50 * time.Millisecond)
		}
	}()

	// /readyz, polled the way a load balancer does.
	type probe struct {
		at     time.Time
		status int
	}
	var probes []probe
	var pmu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := &http.Client{Timeout: 3 * time.Second}
		for loadCtx.Err() == nil {
			s := 0
			if resp, err := c.Get(srv.URL() + "/readyz"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				s = resp.StatusCode
			}
			pmu.Lock()
			probes = append(probes, probe{time.Now(), s})
			pmu.Unlock()
			time.Sleep(50 * time.Millisecond)
		}
	}()

	time.Sleep(1500 * time.Millisecond)
	stoppedAt := time.Now()
	if err := cluster.Stop(); err != nil {
		t.Fatalf("stop PostgreSQL: %v", err)
	}
	time.Sleep(2 * time.Second)
	cluster, err = pgembed.Start(ctx, cluster.Dir(), nil)
	if err != nil {
		t.Fatalf("start PostgreSQL again: %v", err)
	}
	upAt := time.Now()

	// Recovery: the first 200 scan and the first ready probe after PostgreSQL is back.
	deadline := upAt.Add(10 * time.Second)
	for time.Now().Before(deadline) && time.Unix(0, last200.Load()).Before(upAt) {
		time.Sleep(5 * time.Millisecond)
	}
	scanRecovery := time.Unix(0, last200.Load()).Sub(upAt) // the first 200 after the start, within 5 ms
	time.Sleep(1500 * time.Millisecond)
	stopLoad()
	wg.Wait()

	readyDownAfter, readyUpAfter := time.Duration(-1), time.Duration(-1)
	for _, p := range probes {
		if readyDownAfter < 0 && p.at.After(stoppedAt) && p.status == http.StatusServiceUnavailable {
			readyDownAfter = p.at.Sub(stoppedAt)
		}
		if readyUpAfter < 0 && p.at.After(upAt) && p.status == http.StatusOK {
			readyUpAfter = p.at.Sub(upAt)
		}
	}
	panics := srv.LogContains(`"panic"`)

	mu.Lock()
	defer mu.Unlock()
	if pageStatuses[http.StatusAccepted] == 0 {
		t.Errorf("no registration accepted while the database was up: %v", pageStatuses)
	}
	summary(t, "scans 200=%d 503=%d (without Retry-After %d) other=%d, transport errors %d; pages and registrations %v (broken %d); "+
		"/readyz unready %v after the stop, ready %v after the start; scans answered 200 again %v after the start; panics %d",
		statuses[200], statuses[503], no503Header, len(bad), transport.Load(), pageStatuses, len(pageBad),
		readyDownAfter.Round(time.Millisecond), readyUpAfter.Round(time.Millisecond), scanRecovery.Round(time.Millisecond), panics)

	if statuses[200] == 0 || statuses[503] == 0 {
		t.Errorf("expected both 200 and 503 answers, got %v", statuses)
	}
	if no503Header != 0 {
		t.Errorf("%d answers 503 without Retry-After", no503Header)
	}
	for i, b := range bad {
		if i == 5 {
			t.Errorf("... and %d more", len(bad)-5)
			break
		}
		t.Errorf("contract broken: %s", b)
	}
	for i, b := range pageBad {
		if i == 5 {
			break
		}
		t.Errorf("page or registration while the database was down: %s", b)
	}
	if pageStatuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no page or registration answered 503 while the database was down: %v", pageStatuses)
	}
	if readyDownAfter < 0 {
		t.Error("/readyz never reported the database down")
	}
	if readyUpAfter < 0 || readyUpAfter > 5*time.Second {
		t.Errorf("/readyz ready again after %v, want within 5 s", readyUpAfter)
	}
	if scanRecovery < 0 || scanRecovery > 5*time.Second {
		t.Errorf("scans answered 200 again after %v, want within 5 s", scanRecovery)
	}
	if panics != 0 {
		t.Errorf("server log shows %d panics", panics)
	}
}

// contractBreach checks a 503 body: a JSON error with a code, no stack trace.
func contractBreach(body []byte) string {
	s := string(body)
	if strings.Contains(s, "goroutine ") || strings.Contains(s, ".go:") || strings.Contains(strings.ToLower(s), "panic") {
		return "503 body shows internals: " + truncate(s, 200)
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		return "503 body is not a JSON error: " + truncate(s, 200)
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

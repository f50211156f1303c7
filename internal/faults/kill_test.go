package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/bench"
)

// acked is what the server acknowledged: scans answered 200 (with their
// result) and registrations answered 202 (by the address registered; the
// answer names no registration).
type acked struct {
	mu        sync.Mutex
	scans     map[string]string // scan_id -> result
	tokenOf   map[string]string // scan_id -> device token (for the replay check)
	regs      []string          // e-mail addresses
	batched   int               // scans acknowledged through the offline sync
	attempts  atomic.Int64
	failures  atomic.Int64 // transport errors and 5xx while the server was down or dying
	regFailed atomic.Int64
}

// TestKillDuringDoorLoad kills the server with SIGKILL five times while door
// devices scan and visitors register, restarting it each time. Every scan
// answered 200 must be in the scan log exactly once with the answered result,
// every "admitted" must be an admission, nobody is admitted twice on a day,
// every 202 registration must exist, and a retried scan id gets its first
// answer again after the crashes.
func TestKillDuringDoorLoad(t *testing.T) {
	dir := workDir(t)
	dbURL := freshDB(t)
	// Registrations come from many addresses behind a trusted proxy, as
	// phones do; without it the per-address limit would refuse most of them.
	srv := startServer(t, dbURL, dir, "kill", "ATTEND_TRUSTED_PROXIES=127.0.0.1")
	st := openStore(t, dbURL)
	ctx := context.Background()
	ev, tickets, err := bench.SeedTickets(ctx, st, bench.DoorEvent, 4000)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := bench.AddDevices(ctx, st, ev.ID, 7, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	var openSlug string
	if err := st.DB.GetContext(ctx, &openSlug, `SELECT slug FROM events WHERE last_day >= current_date ORDER BY first_day DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}

	a := &acked{scans: map[string]string{}, tokenOf: map[string]string{}}
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var next atomic.Int64
	// The last device was offline: it uploads its queue in batches of five.
	syncTok := tokens[len(tokens)-1]
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := bench.NewClient()
		c.Timeout = 5 * time.Second
		for loadCtx.Err() == nil {
			var items []map[string]any
			for range 5 {
				items = append(items, map[string]any{
					"payload": tickets[next.Add(1)%int64(len(tickets))].Payload, "scan_id": uuid.NewString(),
					"scanned_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339Nano), "local_result": "admitted",
				})
			}
			a.attempts.Add(int64(len(items)))
			results, err := syncBatch(loadCtx, c, srv.URL(), syncTok, items)
			if err != nil {
				a.failures.Add(int64(len(items)))
				time.Sleep(20 * time.Millisecond)
				continue
			}
			a.mu.Lock()
			for id, r := range results {
				a.scans[id] = r
				a.tokenOf[id] = syncTok
			}
			a.batched += len(results)
			a.mu.Unlock()
		}
	}()
	for i, tok := range tokens[:len(tokens)-1] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			c.Timeout = 5 * time.Second
			rng := rand.New(rand.NewPCG(uint64(i), 9))
			for loadCtx.Err() == nil {
				var payload string
				if rng.IntN(20) == 0 && next.Load() > 0 {
					payload = tickets[rng.Int64N(next.Load())%int64(len(tickets))].Payload
				} else {
					payload = tickets[next.Add(1)%int64(len(tickets))].Payload
				}
				id := uuid.NewString()
				a.attempts.Add(1)
				ans, err := bench.Scan(loadCtx, c, srv.URL(), tok, payload, id)
				if err != nil || ans.Status != http.StatusOK {
					a.failures.Add(1)
					if err != nil {
						time.Sleep(20 * time.Millisecond) // the server is down: do not spin
					}
					continue
				}
				a.mu.Lock()
				a.scans[id] = ans.Result
				a.tokenOf[id] = tok
				a.mu.Unlock()
			}
		}()
	}
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			c.Timeout = 5 * time.Second
			for n := 0; loadCtx.Err() == nil; n++ {
				email, status, err := register(loadCtx, c, srv.URL(), openSlug, fmt.Sprintf("10.%d.%d.%d", w, n/250%250, n%250+1))
				switch {
				case err == nil && status == http.StatusAccepted:
					a.mu.Lock()
					a.regs = append(a.regs, email)
					a.mu.Unlock()
				case err != nil:
					a.regFailed.Add(1)
					time.Sleep(20 * time.Millisecond)
				default:
					a.regFailed.Add(1)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}

	const kills = 5
	for k := range kills {
		time.Sleep(time.Duration(600+rand.IntN(500)) * time.Millisecond)
		srv.Kill()
		time.Sleep(100 * time.Millisecond)
		if err := srv.Start(); err != nil {
			t.Fatalf("restart %d: %v", k+1, err)
		}
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err := srv.WaitReady(rctx, 60*time.Second)
		cancel()
		if err != nil {
			t.Fatalf("restart %d: %v", k+1, err)
		}
	}
	time.Sleep(700 * time.Millisecond)
	stopLoad()
	wg.Wait()

	// What the database holds for the acknowledged scans.
	ids := make([]string, 0, len(a.scans))
	admittedIDs := []string{}
	for id, r := range a.scans {
		ids = append(ids, id)
		if r == "admitted" {
			admittedIDs = append(admittedIDs, id)
		}
	}
	type row struct {
		ScanID string `db:"scan_id"`
		Result string `db:"result"`
	}
	var rows []row
	if err := st.DB.SelectContext(ctx, &rows, `SELECT scan_id::text AS scan_id, result FROM scans WHERE scan_id::text = ANY($1)`, pq.Array(ids)); err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	mismatched := 0
	for _, r := range rows {
		found[r.ScanID]++
		if a.scans[r.ScanID] != r.Result {
			mismatched++
		}
	}
	missing, twice := 0, 0
	for _, id := range ids {
		switch found[id] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	var admissions int
	if err := st.DB.GetContext(ctx, &admissions, `SELECT count(*) FROM admissions WHERE scan_id::text = ANY($1) AND undone_at IS NULL`, pq.Array(admittedIDs)); err != nil {
		t.Fatal(err)
	}
	// An online "admitted" may later lose the admission to an offline scan of
	// the same person made earlier (the first by time wins); the double entry
	// then names it as the other scan.
	var superseded int
	if err := st.DB.GetContext(ctx, &superseded, `SELECT count(*) FROM double_entries WHERE other_scan_id::text = ANY($1)
		AND other_scan_id NOT IN (SELECT scan_id FROM admissions WHERE scan_id IS NOT NULL AND undone_at IS NULL)`, pq.Array(admittedIDs)); err != nil {
		t.Fatal(err)
	}
	var doubleAdmitted int
	if err := st.DB.GetContext(ctx, &doubleAdmitted, `SELECT count(*) FROM (SELECT registration_id, day FROM admissions
		WHERE undone_at IS NULL GROUP BY registration_id, day HAVING count(*) > 1) x`); err != nil {
		t.Fatal(err)
	}
	var regsFound int
	if err := st.DB.GetContext(ctx, &regsFound, `SELECT count(*) FROM registrations WHERE email = ANY($1)`, pq.Array(a.regs)); err != nil {
		t.Fatal(err)
	}

	// Retries after the crashes: the same scan id gets the same answer.
	replayed, replayDiffers := 0, 0
	c := bench.NewClient()
	for _, id := range ids[:min(len(ids), 50)] {
		ans, err := bench.Scan(ctx, c, srv.URL(), a.tokenOf[id], "DA1:retry-payload-ignored", id)
		if err != nil || ans.Status != http.StatusOK {
			t.Errorf("retry of scan %s: %v %d %s", id, err, ans.Status, ans.Body)
			continue
		}
		replayed++
		if ans.Result != a.scans[id] {
			replayDiffers++
		}
	}
	panics := srv.LogContains(`"panic"`)

	summary(t, "%d kills; scans attempted %d, acknowledged %d (%d by offline sync), found %d, missing %d, logged twice %d, result differs %d; "+
		"admitted acknowledged %d, admissions found %d (+%d taken over by an earlier offline scan), people admitted twice on a day %d; registrations acknowledged %d, found %d; "+
		"retries replayed %d, answer differs %d; failed during kills: scans %d, registrations %d; panics %d",
		kills, a.attempts.Load(), len(ids), a.batched, len(rows), missing, twice, mismatched, len(admittedIDs), admissions, superseded, doubleAdmitted,
		len(a.regs), regsFound, replayed, replayDiffers, a.failures.Load(), a.regFailed.Load(), panics)

	if len(ids) < 100 {
		t.Errorf("only %d scans acknowledged: the load did not run", len(ids))
	}
	if missing != 0 || twice != 0 || mismatched != 0 {
		t.Errorf("acknowledged scans: %d missing, %d logged twice, %d with another result", missing, twice, mismatched)
	}
	if admissions+superseded != len(admittedIDs) {
		t.Errorf("acknowledged admissions %d, found %d (+%d taken over)", len(admittedIDs), admissions, superseded)
	}
	if doubleAdmitted != 0 {
		t.Errorf("%d people admitted twice on one day", doubleAdmitted)
	}
	if regsFound != len(a.regs) {
		t.Errorf("acknowledged registrations %d, found %d", len(a.regs), regsFound)
	}
	if replayDiffers != 0 {
		t.Errorf("%d retried scans got another answer", replayDiffers)
	}
	if panics != 0 {
		t.Errorf("server log shows %d panics", panics)
	}
}

// syncBatch uploads queued scans; it returns the result of each item the
// server settled (items refused as malformed carry no result).
func syncBatch(ctx context.Context, c *http.Client, base, token string, items []map[string]any) (map[string]string, error) {
	body, _ := json.Marshal(map[string]any{"scans": items})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/scans/batch", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("batch: %s", resp.Status)
	}
	var out struct {
		Results []struct {
			ScanID string `json:"scan_id"`
			Result *struct {
				Result string `json:"result"`
			} `json:"result"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	res := map[string]string{}
	for _, r := range out.Results {
		if r.Result != nil {
			res[r.ScanID] = r.Result.Result
		}
	}
	return res, nil
}

// register posts one registration through the public API, from addr, and
// returns the address it registered.
func register(ctx context.Context, c *http.Client, base, slug, addr string) (string, int, error) {
	email := "fault-" + uuid.NewString()[:13] + "@example.org"
	body, _ := json.Marshal(map[string]any{
		"first_name": "Fault", "last_name": "Test " + addr, "email": email,
		"country": "LV", "city": "Daugavpils", "participation": "local", "language": "en", "privacy_notice_accepted": true,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/events/"+slug+"/registrations", bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := c.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
	}
	if resp.StatusCode == http.StatusAccepted {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return "", resp.StatusCode, err
		}
	}
	return email, resp.StatusCode, nil
}

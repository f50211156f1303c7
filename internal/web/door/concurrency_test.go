package door_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// Two app instances on one database, 50 scanners, the same 200 tickets each:
// every ticket is admitted exactly once and every other answer is
// already_admitted.
func TestConcurrentScansTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 scans")
	}
	// Commits need not wait for the disk here: what is tested is the
	// constraint, not durability, and 10,000 fsyncs would dominate the run.
	url := dbtest.URL(t)
	if strings.Contains(url, "?") {
		url += "&options=-c%20synchronous_commit%3Doff"
	} else {
		url += "?options=-c%20synchronous_commit%3Doff"
	}
	var stores [2]*store.Store
	for i := range stores {
		st, err := store.Open(context.Background(), url, 16)
		if err != nil {
			t.Fatal(err)
		}
		st.Sealer = dbtest.Keyring(t)
		t.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	f := checkintest.New(t, stores[0], 200)
	servers := [2]string{newServer(t, stores[0]).URL, newServer(t, stores[1]).URL}
	tokens := [2]string{}
	_, tokens[0] = f.Device(t, f.A, "Door 1")
	_, tokens[1] = f.Device(t, f.A, "Door 2")

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
	type answer struct {
		ticket int
		result string
	}
	answers := make(chan answer, 50*len(f.People))
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Go(func() {
			order := rand.Perm(len(f.People))
			for _, i := range order {
				code, m, raw := call(t, client, http.MethodPost, servers[g%2]+"/api/v1/scans", scanBody(f.People[i].Ticket.Payload), bearer(tokens[g%2])...)
				if code != 200 {
					t.Errorf("status %d: %s", code, raw)
					return
				}
				answers <- answer{i, m["result"].(string)}
			}
		})
	}
	wg.Wait()
	close(answers)
	admitted := make([]int, len(f.People))
	total := map[string]int{}
	for a := range answers {
		total[a.result]++
		if a.result == "admitted" {
			admitted[a.ticket]++
		}
	}
	for i, n := range admitted {
		if n != 1 {
			t.Errorf("ticket %d admitted %d times", i, n)
		}
	}
	if total["admitted"] != 200 || total["already_admitted"] != 50*200-200 || len(total) != 2 {
		t.Fatalf("answers %v", total)
	}
	var n int
	if err := stores[1].DB.Get(&n, `SELECT count(*) FROM admissions WHERE event_id = $1 AND undone_at IS NULL`, f.A.ID); err != nil || n != 200 {
		t.Fatalf("%d admissions in the database (%v)", n, err)
	}
	if err := stores[1].DB.Get(&n, `SELECT count(*) FROM scans WHERE event_id = $1`, f.A.ID); err != nil || n != 50*200 {
		t.Fatalf("%d scans logged (%v)", n, err)
	}
}

package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/migrations"
)

// TestThreeInstances starts three servers at once on one empty database:
// the migrations must be applied once; 48 scanners spread over the three
// instances scan the same 200 tickets, and each person is admitted exactly
// once; messages queued in the outbox are delivered once each over SMTP
// although three workers compete for them.
func TestThreeInstances(t *testing.T) {
	dir := workDir(t)
	dbURL := freshDB(t)
	ctx := context.Background()
	var mail *mailtest.Server
	if _, err := mailtest.Binary(); err == nil {
		mail = mailtest.Start(t)
	}
	extra := []string{"ATTEND_SECRET_KEY_FILE=" + dbtest.KeyFile(t)}
	if mail != nil {
		extra = append(extra, "ATTEND_SMTP_URL="+mail.SMTPURL)
	}

	// Simultaneous start: every instance migrates and seeds under the same lock.
	srvs := make([]*bench.Proc, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range srvs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
			defer cancel()
			srvs[i], errs[i] = bench.StartServer(sctx, bin, dbURL, fmt.Sprintf("%s/instance%d.log", dir, i+1), extra...)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i+1, err)
		}
		t.Cleanup(srvs[i].Stop)
	}
	st := openStore(t, dbURL)
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	var rowsMigrated, distinctMigrated int
	if err := st.DB.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rowsMigrated, &distinctMigrated); err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, s := range srvs {
		applied += s.LogContains(`"msg":"migration applied"`)
	}

	// Exactly-once admission through three instances.
	ev, tickets, err := bench.SeedTickets(ctx, st, bench.DoorEvent, 200)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := bench.AddDevices(ctx, st, ev.ID, 6, srvs[0].URL())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	results := map[string]int{}
	admittedBy := map[int64]int{}
	for g := range 48 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := bench.NewClient()
			srv, tok := srvs[g%3], tokens[g%len(tokens)]
			order := rand.Perm(len(tickets))
			for _, i := range order {
				ans, err := bench.Scan(ctx, c, srv.URL(), tok, tickets[i].Payload, uuid.NewString())
				mu.Lock()
				switch {
				case err != nil:
					results["transport_error"]++
				case ans.Status != http.StatusOK:
					results[fmt.Sprintf("http_%d", ans.Status)]++
				default:
					results[ans.Result]++
					if ans.Result == "admitted" {
						admittedBy[tickets[i].RegistrationID]++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	regIDs := make([]int64, len(tickets))
	for i, tk := range tickets {
		regIDs[i] = tk.RegistrationID
	}
	var admissionRows, admittedPeople int
	if err := st.DB.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT registration_id) FROM admissions
		WHERE registration_id = ANY($1) AND undone_at IS NULL`, pq.Array(regIDs)).Scan(&admissionRows, &admittedPeople); err != nil {
		t.Fatal(err)
	}
	twice := 0
	for _, n := range admittedBy {
		if n > 1 {
			twice++
		}
	}

	// The outbox: three workers, each message delivered once.
	const messages = 60
	mailLine := "outbox: not checked (mailpit unavailable)"
	var sentRows, deliveredOnce, deliveredMore, undelivered int
	if mail != nil {
		ob := outbox.New(st, srvs[0].URL())
		ids := map[string]bool{}
		for i := range messages {
			q, err := ob.Enqueue(ctx, st.DB, outbox.Message{
				Kind: "fault-test", To: fmt.Sprintf("instances-%d@example.org", i), Language: "en",
				Subject: fmt.Sprintf("Three instances %d", i), Text: "One copy only.",
			})
			if err != nil {
				t.Fatal(err)
			}
			ids[q.MessageID] = true
		}
		deadline := time.Now().Add(45 * time.Second)
		for time.Now().Before(deadline) {
			st.DB.GetContext(ctx, &sentRows, `SELECT count(*) FROM outbox WHERE kind = 'fault-test' AND status = 'sent'`)
			if sentRows == messages {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(time.Second) // a late duplicate would arrive now
		got, err := mail.Messages()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, m := range got {
			id := m.MessageID
			if !ids[id] && ids["<"+id+">"] {
				id = "<" + id + ">"
			}
			if ids[id] {
				seen[id]++
			}
		}
		for id := range ids {
			switch seen[id] {
			case 0:
				undelivered++
			case 1:
				deliveredOnce++
			default:
				deliveredMore++
			}
		}
		mailLine = fmt.Sprintf("outbox: queued %d, marked sent %d, delivered once %d, more than once %d, not delivered %d",
			messages, sentRows, deliveredOnce, deliveredMore, undelivered)
	}

	mu.Lock()
	defer mu.Unlock()
	summary(t, "migrations %d, applied %d times, schema rows %d (distinct %d); scans %d: admitted %d, already_admitted %d, other %v; "+
		"admission rows %d for %d people, admitted twice %d; %s",
		len(ms), applied, rowsMigrated, distinctMigrated, 48*len(tickets), results["admitted"], results["already_admitted"],
		others(results), admissionRows, admittedPeople, twice, mailLine)

	if applied != len(ms) || rowsMigrated != len(ms) || distinctMigrated != len(ms) {
		t.Errorf("migrations: %d known, applied %d times, %d rows", len(ms), applied, rowsMigrated)
	}
	if results["admitted"] != len(tickets) || admissionRows != len(tickets) || admittedPeople != len(tickets) || twice != 0 {
		t.Errorf("admissions: %d answers admitted, %d rows, %d people, %d twice; want %d each and none twice",
			results["admitted"], admissionRows, admittedPeople, twice, len(tickets))
	}
	if results["admitted"]+results["already_admitted"] != 48*len(tickets) {
		t.Errorf("answers other than admitted/already_admitted: %v", others(results))
	}
	if mail != nil && (deliveredOnce != messages || sentRows != messages) {
		t.Errorf("outbox: %s", mailLine)
	}
}

func others(m map[string]int) map[string]int {
	o := map[string]int{}
	for k, v := range m {
		if k != "admitted" && k != "already_admitted" {
			o[k] = v
		}
	}
	return o
}

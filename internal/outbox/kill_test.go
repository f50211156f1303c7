package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
)

const helperEnv = "ATTEND_OUTBOX_KILL_HELPER"

// TestMain lets the test binary double as the worker process of the kill test.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(runWorkerProcess())
	}
	os.Exit(m.Run())
}

// runWorkerProcess is a stand-alone worker, as `attend serve` runs it, until killed.
func runWorkerProcess() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, os.Getenv("ATTEND_TEST_DB"), 4)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sender, err := mail.NewSender(os.Getenv("ATTEND_TEST_SMTP"), "DeCoDe Attend <no-reply@example.org>")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w := &outbox.Worker{
		Store: st, Sender: sender, Batch: 10, Lease: 1500 * time.Millisecond, Poll: 20 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	w.Run(ctx)
	return 0
}

// TestKillDuringDelivery queues 500 messages, runs the worker as a separate
// process against a real SMTP server, kills it with SIGKILL twice part-way
// and restarts it. Every message must arrive; a message can arrive twice only
// if a kill fell between the server's acceptance and the mark (see the
// package comment), so duplicates are bounded by the number of kills, and
// every copy carries the Message-ID fixed at enqueue.
func TestKillDuringDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const total = 500
	mp := mailtest.Start(t)
	dbURL := dbtest.URL(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ob := outbox.New(st, "https://attend.example.org")
	var ms []outbox.Message
	for i := range total {
		ms = append(ms, msg(i))
	}
	queued := enqueue(t, st, ob, ms...)
	want := map[string]bool{}
	for _, q := range queued {
		want[q.MessageID] = true
	}

	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"=1", "ATTEND_TEST_DB="+dbURL, "ATTEND_TEST_SMTP="+mp.SMTPURL)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	waitCount := func(n int, limit time.Duration) int {
		deadline := time.Now().Add(limit)
		for {
			got, err := mp.Count()
			if err != nil {
				t.Fatal(err)
			}
			if got >= n || time.Now().After(deadline) {
				return got
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	kills := 0
	for _, at := range []int{120, 300} {
		cmd := start()
		got := waitCount(at, 20*time.Second)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
		t.Logf("kill %d after %d deliveries", kills, got)
		if got >= total {
			t.Fatalf("the worker finished before kill %d: the test proves nothing", kills)
		}
	}
	// The last run finishes the queue (claims of the killed runs expire after their lease).
	cmd := start()
	defer func() {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}()
	deadline := time.Now().Add(25 * time.Second)
	for {
		s, err := st.OutboxStats(ctx, st.DB)
		if err != nil {
			t.Fatal(err)
		}
		if s.Sent == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not all delivered in time: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}

	got, err := mp.Messages()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range got {
		seen["<"+m.MessageID+">"]++
	}
	missing, dups := 0, 0
	for id := range want {
		switch n := seen[id]; {
		case n == 0:
			missing++
		case n > 1:
			dups += n - 1
		}
	}
	for id := range seen {
		if !want[id] {
			t.Errorf("unexpected Message-ID %s", id)
		}
	}
	t.Logf("%d messages received for %d queued, %d kills: %d missing, %d duplicates", len(got), total, kills, missing, dups)
	if missing != 0 {
		t.Errorf("%d messages lost", missing)
	}
	if dups > kills {
		t.Errorf("%d duplicates after %d kills: more than the send-mark window allows", dups, kills)
	}
}

package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/bench"
)

// TestBenchSmoke runs `attend-bench door` briefly, as docs/performance.md
// tells readers to, so that the recipe keeps working: it must start its own
// server and database, run pgbench's check-in transaction, measure both sides
// and end with one JSON line.
func TestBenchSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, benchBin, "door", "--devices", "2", "--duration", "1s", "--tickets", "300", "--paced-rate", "0")
	cmd.Env = append(cleanEnvForBench(), "TMPDIR="+workDir(t))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("attend-bench door: %v\n%s\n%s", err, out.String(), errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rep bench.Report
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatalf("the last line is not the JSON report: %v\n%s", err, out.String())
	}
	if rep.Server == nil || rep.Bare == nil || rep.Server.OK == 0 || rep.Bare.OK == 0 || rep.Ratio <= 0 || rep.RSSPeakMiB <= 0 {
		t.Fatalf("incomplete report: %s", lines[len(lines)-1])
	}
	// pgbench's check-in transaction ran on the same database, and both ratios are printed.
	if r, _ := rep.Extra["ratio_pgbench"].(float64); r <= 0 || !strings.Contains(out.String(), "ratio server/pgbench check-in:") ||
		!strings.Contains(out.String(), "ratio server/bare database (same statement):") {
		t.Fatalf("no pgbench ratio:\n%s", out.String())
	}
	// Each of the four runs (pgbench twice, server, bare) starts after the
	// report changes the one before queued were folded, and a checkpoint, so
	// that none pays for the writes of the one before.
	if n := len(settledLine.FindAllString(out.String(), -1)); n != 4 {
		t.Fatalf("%d runs of 4 started settled:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "reproduce: attend-bench door") {
		t.Fatalf("no command to reproduce the run:\n%s", out.String())
	}
	summary(t, "door %0.f/s vs bare %0.f/s (ratio %.2f), p99 %.1f ms, RSS %.1f MiB, server errors %d",
		rep.Server.Throughput, rep.Bare.Throughput, rep.Ratio, rep.Server.P99, rep.RSSPeakMiB, rep.Server.Errors)
	if rep.Server.Errors != 0 {
		t.Errorf("%d failed scans under light load", rep.Server.Errors)
	}
}

var settledLine = regexp.MustCompile(`(?m)^  settled: (\d+ queued report changes folded, )?checkpoint, autovacuum idle`)

// cleanEnvForBench drops DATABASE_URL and ATTEND_* so the tool starts its
// own private cluster, as it does on a developer's machine.
func cleanEnvForBench() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DATABASE_URL=") || strings.HasPrefix(kv, "ATTEND_") || strings.HasPrefix(kv, "TMPDIR=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

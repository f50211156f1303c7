package scaletest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/bench"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/scale"
)

// TestTwoInstancesBehindHAProxy builds the real attend binary, starts two
// instances on one empty database behind HAProxy (health checks on /readyz),
// drives door scans and registrations through it, kills one instance with
// SIGKILL a quarter into the run and starts it again at half; then every
// scan and registration answered 2xx must be in the database and nobody
// admitted twice.
func TestTwoInstancesBehindHAProxy(t *testing.T) {
	hp, err := scale.HAProxyBinary()
	if err != nil {
		if os.Geteuid() == 0 {
			t.Fatalf("%v (make test-deps installs it as root)", err)
		}
		t.Skipf("%v; not root, so make test could not install it", err)
	}
	dir, err := bench.WorkDir("attend-scaletest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "attend")
	build := exec.Command("go", "build", "-o", bin, "github.com/decode-attend/attend/cmd/attend")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build attend: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := scale.Run(ctx, scale.Options{
		Bin: bin, HAProxy: hp, DatabaseURL: dbtest.EmptyURL(t), Dir: dir,
		Instances: 2, Devices: 6, Clients: 3, Duration: 8 * time.Second, Tickets: 2000,
		Out: testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(os.Stderr, res.Summary(2))
	if err := res.OK(); err != nil {
		t.Error(err)
	}
	// The run must have done something worth checking, through both the kill and the restart.
	if res.AckedScans < 100 || res.AckedRegistrations < 10 || res.AdmittedAnswers < 50 {
		t.Errorf("too little load to prove anything: %d scans, %d registrations, %d admitted",
			res.AckedScans, res.AckedRegistrations, res.AdmittedAnswers)
	}
	if n := len(res.Door.PerSecondN); n < 7 || res.Door.PerSecondN[n-2] == 0 {
		t.Errorf("the door stopped answering after the kill: per second %v", res.Door.PerSecondN)
	}
	if len(res.Reports) == 0 {
		t.Errorf("no report read during the run")
	}
	answered := 0
	for _, s := range res.Reports {
		// A read cut by the killed instance has no answer to judge.
		if s.Status != http.StatusOK {
			continue
		}
		answered++
		if s.Server != "primary" || s.Fallback != "" {
			t.Errorf("report without a replica read from %q (fallback %q)", s.Server, s.Fallback)
		}
	}
	if answered == 0 {
		t.Errorf("no report read answered 200: %+v", res.Reports)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

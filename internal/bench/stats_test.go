package bench

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/ticketcode"
)

func TestStatsPercentiles(t *testing.T) {
	r := newRecorder()
	for i := 1; i <= 100; i++ {
		r.Add(time.Duration(i)*time.Millisecond, "admitted", false)
	}
	r.Add(time.Second, "http_503", true)
	s := r.Stats(2 * time.Second)
	if s.OK != 100 || s.Errors != 1 || s.Requests != 101 {
		t.Fatalf("counts: %+v", s)
	}
	if s.P50 != 50 || s.P95 != 95 || s.P99 != 99 || s.Max != 100 {
		t.Fatalf("percentiles: p50 %v p95 %v p99 %v max %v, want 50 95 99 100", s.P50, s.P95, s.P99, s.Max)
	}
	if s.Throughput != 50 {
		t.Fatalf("throughput %v, want 50/s (failed requests do not count)", s.Throughput)
	}
	if !strings.Contains(s.String(), "http_503=1") {
		t.Fatalf("summary line misses an outcome: %s", s)
	}
}

func TestForgeKeepsShapeBreaksSignature(t *testing.T) {
	_, pub, priv, err := ticketcode.NewKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	kid := "ABCD"
	p, err := ticketcode.Sign(ticketcode.Claims{EventID: 4, TicketID: 77, KeyID: kid, Days: []time.Time{time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}}, priv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ticketcode.Verify(Forge(p), 4, map[string]ed25519.PublicKey{kid: pub})
	if err != ticketcode.ErrBadSignature {
		t.Fatalf("forged payload: %v, want a bad signature (a forgery the door must catch, not a malformed text)", err)
	}
}

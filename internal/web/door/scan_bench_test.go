package door_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
)

// BenchmarkScanAPI is one POST /api/v1/scans through the real router and
// handler, without the network: the server's own CPU per scan (the token
// cache, the signature, the one statement's client side, the JSON). Every
// person is admitted on the first pass, later passes are repeats.
//
//	go test ./internal/web/door -run '^$' -bench ScanAPI -benchmem -cpuprofile cpu.out
func BenchmarkScanAPI(b *testing.B) {
	st := dbtest.Open(b)
	f := checkintest.New(b, st, 200)
	h := newServer(b, st).Config.Handler
	_, tok := f.Device(b, f.A, "Door 1")
	var payloads []string
	for _, p := range f.People {
		payloads = append(payloads, p.Ticket.Payload)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := `{"payload":"` + payloads[i%len(payloads)] + `","scan_id":"` + newUUID() + `"}`
		req := httptest.NewRequest(http.MethodPost, "/api/v1/scans", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.RemoteAddr = "127.0.0.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("scan: %d %s", rec.Code, rec.Body)
		}
	}
}

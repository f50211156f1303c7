package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// DiskSync is how long the disk took to make 8 KiB durable (fdatasync), as
// PostgreSQL does for every commit that must survive a crash: the floor under
// a scan's latency that no code above the disk removes.
type DiskSync struct {
	Syncs int     `json:"syncs"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

func (d DiskSync) String() string {
	return fmt.Sprintf("%d syncs, p50 %.2f ms, p99 %.2f ms, max %.1f ms", d.Syncs, d.P50, d.P99, d.Max)
}

// probeDisk writes and syncs 8 KiB in dir every 5 ms until ctx ends. It runs
// beside a load, so that the figures are the disk's under that load.
func probeDisk(ctx context.Context, dir string) (DiskSync, error) {
	f, err := os.CreateTemp(dir, "disk-probe-*")
	if err != nil {
		return DiskSync{}, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := make([]byte, 8192)
	var lat []time.Duration
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			if len(lat) == 0 {
				return DiskSync{}, nil
			}
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }
			return DiskSync{Syncs: len(lat), P50: ms(lat[len(lat)/2]), P99: ms(lat[len(lat)*99/100]), Max: ms(lat[len(lat)-1])}, nil
		case <-tick.C:
		}
		if _, err := f.WriteAt(buf, int64(i%128)*8192); err != nil {
			return DiskSync{}, err
		}
		t0 := time.Now()
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			return DiskSync{}, fmt.Errorf("fdatasync %s: %w", filepath.Base(f.Name()), err)
		}
		lat = append(lat, time.Since(t0))
	}
}

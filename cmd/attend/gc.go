package main

import (
	"runtime/debug"
)

// The server's garbage collector, unless GOGC or GOMEMLIMIT say otherwise.
// Each collection's marking takes one of the two cores of a small venue
// machine and idles the other's spare time, for a few milliseconds, beside
// the PostgreSQL backends the scans wait on: at the door's 800 scans a second
// the default (GOGC=100 over a 5 MB live heap) collected twice a second and
// those pauses made the door's p99. Collecting at five times the live heap
// instead of twice keeps a door server under 70 MiB (docs/performance.md);
// the soft limit makes the collector work harder before the process passes
// it, whatever the live heap.
const (
	gcPercent   = 400
	memoryLimit = 256 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

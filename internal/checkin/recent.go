package checkin

import (
	"sync"
	"time"
)

// recentTTL is how long the door trusts what it read about an event (dates,
// time zone, public keys): every scan needs them and they change rarely, so a
// few seconds of reuse spares two statements per scan. A key added meanwhile
// is found at once (an unknown key id reloads the keys); a retired key or
// edited dates reach every instance within this time.
const recentTTL = 2 * time.Second

// recent keeps values for recentTTL, measured on the monotonic clock (not the
// service's Now, which tests fix).
type recent[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]recentEntry[V]
}

type recentEntry[V any] struct {
	v  V
	at time.Time
}

func (r *recent[K, V]) get(k K) (V, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.m[k]
	if !ok || time.Since(e.at) >= recentTTL {
		var zero V
		return zero, false
	}
	return e.v, true
}

// forget drops a value this process changed, so that it is read again at once.
func (r *recent[K, V]) forget(k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, k)
}

func (r *recent[K, V]) put(k K, v V) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[K]recentEntry[V]{}
	}
	if len(r.m) > 1000 { // events, not people: a bound that is never reached in practice
		clear(r.m)
	}
	r.m[k] = recentEntry[V]{v: v, at: time.Now()}
}

// touchEvery is how often a device's last_seen_at is written; the statement
// itself also skips a device seen within the minute, this spares sending it.
const touchEvery = time.Minute

// touched remembers when this process last wrote a device's last_seen_at.
type touched struct {
	mu sync.Mutex
	m  map[int64]time.Time
}

// due reports whether the device should be touched now, and if so marks it.
func (t *touched) due(deviceID int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[int64]time.Time{}
	}
	if at, ok := t.m[deviceID]; ok && time.Since(at) < touchEvery {
		return false
	}
	if len(t.m) > 10000 {
		clear(t.m)
	}
	t.m[deviceID] = time.Now()
	return true
}

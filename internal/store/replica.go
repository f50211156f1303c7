package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Where report figures were read from.
const (
	SourcePrimary = "primary"
	SourceReplica = "replica"
)

// Why a report that could have read from the replica read from the primary.
const (
	FallbackUnavailable = "replica_unavailable" // no connection, or an error
	FallbackStale       = "replica_stale"       // further behind than the bound
	FallbackNotStandby  = "replica_not_standby" // the server is not in recovery
)

// ReadSource says where a report's figures were read and how old they are.
type ReadSource struct {
	Server string `json:"server"` // primary | replica
	// AsOf is the moment the figures describe: the primary's time when read
	// there, the last transaction the replica replayed when it was behind.
	AsOf time.Time `json:"as_of"`
	// Staleness is how far the figures lag behind the primary (0 when read
	// from it or when the replica had replayed all it had been sent).
	Staleness time.Duration `json:"-"`
	// StalenessSeconds is Staleness for the JSON answer.
	StalenessSeconds float64 `json:"staleness_seconds"`
	// Fallback is why the primary answered although a replica is configured.
	Fallback string `json:"fallback,omitempty"`
}

// Replica is a streaming replica the report queries may read from, as long
// as it is no further than MaxLag behind the primary. Nothing else reads
// from it: what a person just did must be visible on the next page.
type Replica struct {
	DB     *sqlx.DB
	MaxLag time.Duration
	// Probe bounds connecting to the replica and asking its position, so
	// that a replica that hangs costs a report this much, not a timeout.
	Probe time.Duration

	mu        sync.Mutex
	downUntil time.Time // after a failure the primary answers for a while
}

// replicaRetry is how long a failed replica is left alone.
const replicaRetry = 5 * time.Second

// OpenReplica opens a small pool on the replica without connecting: a
// replica that is down at start is used once it comes up.
func OpenReplica(url string, maxConns int, maxLag time.Duration) (*Replica, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open replica: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(time.Minute)
	return &Replica{DB: db, MaxLag: maxLag, Probe: 2 * time.Second}, nil
}

// Close closes the replica's pool.
func (r *Replica) Close() error {
	if r == nil {
		return nil
	}
	return r.DB.Close()
}

// The primary's position and clock, asked before the replica is. The
// replica's last replayed commit carries the primary's commit time, so the
// staleness is measured on the primary's clock alone.
const primaryPosition = `SELECT pg_current_wal_lsn()::text, now()`

// Asked of the replica just before its transaction takes its snapshot:
// replay only moves forward, so the snapshot holds at least what had been
// replayed when this answered. (Asked inside the transaction, the answer
// would come after the snapshot and could promise rows it does not hold.)
const replicaPosition = `SELECT pg_is_in_recovery(),
	coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false),
	pg_last_xact_replay_timestamp()`

// ReportSnapshot runs fn as Store.ReportSnapshot does, on the replica when
// one is configured, reachable and no further than MaxLag behind, else on
// the primary; it says which answered and how stale the figures are. A nil
// Replica always reads from the primary.
func (r *Replica) ReportSnapshot(ctx context.Context, primary *Store, fn func(tx *sqlx.Tx) error) (ReadSource, error) {
	fallback := ""
	if r != nil {
		src, err := r.snapshot(ctx, primary, fn)
		switch {
		case err == nil:
			return src, nil
		case ctx.Err() != nil:
			return ReadSource{}, ctx.Err()
		}
		var fb *fallbackError
		if !errors.As(err, &fb) {
			return ReadSource{}, err // fn's own error: the same query would fail on the primary
		}
		fallback = fb.reason
	}
	var src ReadSource
	err := primary.ReportSnapshot(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &src.AsOf, `SELECT now()`); err != nil {
			return wrap("report snapshot", err)
		}
		return fn(tx)
	})
	src.Server, src.Fallback, src.AsOf = SourcePrimary, fallback, src.AsOf.UTC()
	return src, err
}

// fallbackError is a reason to read from the primary instead.
type fallbackError struct {
	reason string
	err    error
}

func (e *fallbackError) Error() string { return e.reason + ": " + fmt.Sprint(e.err) }

func (r *Replica) down() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Now().Before(r.downUntil)
}

func (r *Replica) markDown() {
	r.mu.Lock()
	r.downUntil = time.Now().Add(replicaRetry)
	r.mu.Unlock()
}

func (r *Replica) snapshot(ctx context.Context, primary *Store, fn func(tx *sqlx.Tx) error) (ReadSource, error) {
	if r.down() {
		return ReadSource{}, &fallbackError{FallbackUnavailable, errors.New("failed recently")}
	}
	var lsn string
	var primaryNow time.Time
	if err := primary.DB.QueryRowContext(ctx, primaryPosition).Scan(&lsn, &primaryNow); err != nil {
		return ReadSource{}, wrap("primary position", err)
	}
	// The transaction lives on its context: the probe's bound cancels it
	// only while the probe runs (a timer stopped after), not the report's
	// queries.
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	timer := time.AfterFunc(r.Probe, cancel)
	var inRecovery, caughtUp bool
	var replayed sql.NullTime
	err := r.DB.QueryRowContext(tctx, replicaPosition, lsn).Scan(&inRecovery, &caughtUp, &replayed)
	var tx *sqlx.Tx
	if err == nil {
		tx, err = r.DB.BeginTxx(tctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	if !timer.Stop() && err == nil {
		tx.Rollback()
		err = errors.New("no answer within the probe's time")
	}
	if err != nil {
		r.markDown()
		return ReadSource{}, &fallbackError{FallbackUnavailable, err}
	}
	defer tx.Rollback()
	if !inRecovery {
		return ReadSource{}, &fallbackError{FallbackNotStandby, errors.New("pg_is_in_recovery() is false")}
	}
	src := ReadSource{Server: SourceReplica, AsOf: primaryNow.UTC()}
	if !caughtUp {
		// Behind: the figures hold every commit up to the last one replayed.
		if !replayed.Valid {
			return ReadSource{}, &fallbackError{FallbackStale, errors.New("nothing replayed yet")}
		}
		src.AsOf = replayed.Time.UTC()
		src.Staleness = max(0, primaryNow.Sub(replayed.Time))
	}
	src.StalenessSeconds = src.Staleness.Round(time.Millisecond).Seconds()
	if src.Staleness > r.MaxLag {
		return ReadSource{}, &fallbackError{FallbackStale, fmt.Errorf("%v behind, bound %v", src.Staleness, r.MaxLag)}
	}
	if _, err := tx.ExecContext(tctx, `SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`); err != nil {
		r.markDown()
		return ReadSource{}, &fallbackError{FallbackUnavailable, err}
	}
	if err := fn(tx); err != nil {
		// Whatever failed on the replica (a lost connection, a query the
		// standby cancelled for a conflict with replay) is asked of the
		// primary; a fault of the query itself fails there too.
		var pe *pq.Error
		if !errors.As(err, &pe) {
			r.markDown()
		}
		return ReadSource{}, &fallbackError{FallbackUnavailable, err}
	}
	return src, wrap("report snapshot", tx.Commit())
}

// LagSeconds is the staleness in whole seconds, rounded up, for the page.
func (s ReadSource) LagSeconds() int {
	return int((s.Staleness + time.Second - 1) / time.Second)
}

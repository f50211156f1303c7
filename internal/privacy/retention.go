package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// RetentionJob is the job_runs name of the daily retention run.
const RetentionJob = "privacy.retention"

// retentionEvery is how often the job may run. A little under a day, so that a
// run started at a slightly different time each day is not skipped.
const retentionEvery = 20 * time.Hour

func validateRetention(years, needsDays int) error {
	inv := &apperr.Invalid{}
	if years < 1 || years > 30 {
		inv.Add("retention_years", "privacy.error.years")
	}
	if needsDays < 0 || needsDays > 3650 {
		inv.Add("needs_retention_days", "privacy.error.needs_days")
	}
	return inv.Err()
}

// RetentionRun is what one run of the retention job did.
type RetentionRun struct {
	Ran           bool // false when another instance ran it within the period
	Projects      []string
	Counts        store.AnonymiseCounts
	NeedsPurged   int64
	MailsScrubbed int64
}

// RunRetention anonymises the projects past their retention, deletes needs
// past their shorter retention and blanks sent erasure confirmations, writing
// what it did to the audit log. Without force it runs at most once a day
// across every instance (job_runs); each project is its own transaction, so
// a failure leaves the others done and the next run retries the rest.
func (s *Service) RunRetention(ctx context.Context, force bool) (RetentionRun, error) {
	var run RetentionRun
	now := s.now().UTC().Truncate(time.Microsecond)
	if !force {
		ok, err := s.Store.ClaimJob(ctx, s.Store.DB, RetentionJob, now, retentionEvery)
		if err != nil || !ok {
			return run, err
		}
	}
	run.Ran = true
	err := s.retention(ctx, now, &run)
	if err != nil && !force {
		// Give the claim back so that the next tick retries instead of waiting a day.
		if uerr := s.Store.UnclaimJob(context.WithoutCancel(ctx), s.Store.DB, RetentionJob, now); uerr != nil {
			err = fmt.Errorf("%w (and unclaim: %v)", err, uerr)
		}
	}
	return run, err
}

func (s *Service) retention(ctx context.Context, now time.Time, run *RetentionRun) error {
	system := Actor{Label: "system"}
	t := today(now)
	ids, err := s.Store.ExpiredProjects(ctx, s.Store.DB, t)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p, err := s.Store.Project(ctx, s.Store.DB, id)
		if err != nil {
			return err
		}
		err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
			c, err := s.anonymiseProject(ctx, tx, p.ID, p.Code, system, "retention")
			run.Counts = run.Counts.Add(c)
			return err
		})
		if err != nil {
			return fmt.Errorf("anonymise project %s: %w", p.Code, err)
		}
		run.Projects = append(run.Projects, p.Code)
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		purged, err := s.Store.PurgeExpiredNeeds(ctx, tx, t)
		if err != nil {
			return err
		}
		for _, p := range purged {
			run.NeedsPurged += p.N
			if err := s.log(ctx, tx, system, "privacy.purge_needs", "project", p.ProjectID, map[string]any{"registrations": p.N}); err != nil {
				return err
			}
		}
		n, err := s.Store.ScrubSentMessages(ctx, tx, ErasedMailKind)
		if err != nil {
			return err
		}
		run.MailsScrubbed = n
		return s.log(ctx, tx, system, "privacy.retention_run", "", "", map[string]any{
			"projects_anonymised": len(run.Projects), "counts": run.Counts,
			"needs_purged": run.NeedsPurged, "erasure_mails_scrubbed": n,
		})
	})
	return err
}

// Worker runs the retention job after delay, then every interval, until ctx
// ends. Every instance may run it: the claim in job_runs makes the work
// happen once a day.
func (s *Service) Worker(ctx context.Context, log *slog.Logger, delay, interval time.Duration) {
	if interval <= 0 {
		interval = time.Hour
	}
	tick := func() {
		run, err := s.RunRetention(ctx, false)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("retention job failed", "err", err)
		case run.Ran:
			log.Info("retention job ran", "projects_anonymised", len(run.Projects),
				"registrations", run.Counts.Registrations, "needs_purged", run.NeedsPurged)
		}
	}
	first := time.NewTimer(delay)
	defer first.Stop()
	select {
	case <-ctx.Done():
		return
	case <-first.C:
		tick()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick()
		}
	}
}

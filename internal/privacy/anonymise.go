package privacy

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/store"
)

// ProjectPreview is what anonymising a project would touch, for the confirmation page.
type ProjectPreview struct {
	Retention      store.Retention
	ToAnonymise    int
	EventsNotEnded int
	Expired        bool // past its records-kept-until date
}

// PreviewProject counts what anonymising a project would change.
func (s *Service) PreviewProject(ctx context.Context, code string) (ProjectPreview, error) {
	r, err := s.Store.RetentionByCode(ctx, s.Store.DB, code)
	if err != nil {
		return ProjectPreview{}, err
	}
	p := ProjectPreview{Retention: r, ToAnonymise: r.Registrations - r.Anonymised}
	t := today(s.now())
	p.Expired = r.RecordsKeptUntil != nil && r.RecordsKeptUntil.Before(t)
	evs, err := s.Store.ProjectEvents(ctx, s.Store.DB, r.ProjectID)
	if err != nil {
		return p, err
	}
	for _, e := range evs {
		if !e.LastDay.Before(t) {
			p.EventsNotEnded++
		}
	}
	return p, nil
}

// AnonymiseProject removes the personal data of every registration of the
// project, keeping every count the reports make, and marks the project
// anonymised. It is what the retention job does when a project expires; an
// administrator or the CLI may run it earlier. Running it again is harmless.
func (s *Service) AnonymiseProject(ctx context.Context, code string, by Actor) (store.AnonymiseCounts, error) {
	p, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return store.AnonymiseCounts{}, err
	}
	var c store.AnonymiseCounts
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		c, err = s.anonymiseProject(ctx, tx, p.ID, p.Code, by, "manual")
		return err
	})
	return c, err
}

func (s *Service) anonymiseProject(ctx context.Context, tx *sqlx.Tx, projectID int64, code string, by Actor, trigger string) (store.AnonymiseCounts, error) {
	if err := s.Store.LockProject(ctx, tx, projectID); err != nil {
		return store.AnonymiseCounts{}, err
	}
	ids, err := s.Store.ProjectRegistrationIDs(ctx, tx, projectID)
	if err != nil {
		return store.AnonymiseCounts{}, err
	}
	c, err := s.Store.AnonymiseRegistrations(ctx, tx, ids)
	if err != nil {
		return c, err
	}
	if err := s.Store.MarkProjectAnonymised(ctx, tx, projectID); err != nil {
		return c, err
	}
	if _, err := s.Store.DiscardImportUploads(ctx, tx, projectID); err != nil {
		return c, err
	}
	return c, s.log(ctx, tx, by, "privacy.anonymise_project", "project", code, map[string]any{
		"trigger": trigger, "counts": c,
	})
}

// SetRetention changes a project's balance payment date and retention periods.
func (s *Service) SetRetention(ctx context.Context, code string, balancePaidOn *time.Time, years, needsDays int, by Actor) error {
	p, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return err
	}
	if err := validateRetention(years, needsDays); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetRetention(ctx, tx, p.ID, balancePaidOn, years, needsDays); err != nil {
			return err
		}
		d := map[string]any{"retention_years": years, "needs_retention_days": needsDays, "balance_paid_on": nil}
		if balancePaidOn != nil {
			d["balance_paid_on"] = balancePaidOn.Format("2006-01-02")
		}
		return s.log(ctx, tx, by, "privacy.retention_set", "project", p.Code, d)
	})
}

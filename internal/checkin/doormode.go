package checkin

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
)

// SetCountsExits turns the counting of exits at an event's door on or off
// (door mode "out" on its scanners, people inside now in its live counts).
// Admissions and the reports do not change with it.
func (s *Service) SetCountsExits(ctx context.Context, actor *auth.Principal, eventID int64, on bool) error {
	defer s.events.forget(eventID) // other instances see it within recentTTL
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetCountsExits(ctx, tx, eventID, on); err != nil {
			return err
		}
		e := audit.Entry{Actor: actor, Action: "event.door_mode", ObjectType: "event", ObjectID: eventID,
			Details: map[string]any{"counts_exits": on}}
		if actor == nil {
			e.ActorLabel = "cli"
		}
		return audit.Log(ctx, s.Store, tx, e)
	})
}

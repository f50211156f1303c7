package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
)

// FeedbackSettings are an event's feedback questions (raw JSON, nil for the
// defaults) and closing time (nil: the default after the last day).
type FeedbackSettings struct {
	Questions []byte     `db:"feedback_questions"`
	ClosesAt  *time.Time `db:"feedback_closes_at"`
}

// EventFeedbackSettings reads an event's feedback settings.
func (s *Store) EventFeedbackSettings(ctx context.Context, q sqlx.QueryerContext, eventID int64) (FeedbackSettings, error) {
	var f FeedbackSettings
	err := sqlx.GetContext(ctx, q, &f, `SELECT feedback_questions, feedback_closes_at FROM events WHERE id = $1`, eventID)
	return f, wrap("event feedback settings", err)
}

// SetEventFeedback sets an event's questions (nil: the defaults) and closing time.
func (s *Store) SetEventFeedback(ctx context.Context, q sqlx.ExecerContext, eventID int64, questions []byte, closesAt *time.Time) error {
	var qs any
	if questions != nil {
		qs = string(questions)
	}
	_, err := q.ExecContext(ctx, `UPDATE events SET feedback_questions = $2::jsonb, feedback_closes_at = $3, updated_at = now() WHERE id = $1`,
		eventID, qs, closesAt)
	return wrap("set event feedback", err)
}

// FeedbackAnswer is one person's answers (question id -> number or text).
type FeedbackAnswer struct {
	ID             int64           `db:"id"`
	EventID        int64           `db:"event_id"`
	RegistrationID int64           `db:"registration_id"`
	Answers        json.RawMessage `db:"answers"`
	CreatedAt      time.Time       `db:"created_at"`
	UpdatedAt      time.Time       `db:"updated_at"`
}

// SaveFeedback stores a person's answers, replacing earlier ones: the unique
// key on the registration keeps one answer per person whatever the races.
func (s *Store) SaveFeedback(ctx context.Context, q sqlx.QueryerContext, eventID, registrationID int64, answers []byte) (FeedbackAnswer, error) {
	var a FeedbackAnswer
	err := sqlx.GetContext(ctx, q, &a, `
INSERT INTO feedback_answers (event_id, registration_id, answers) VALUES ($1, $2, $3::jsonb)
ON CONFLICT (registration_id) DO UPDATE SET answers = EXCLUDED.answers, updated_at = now()
RETURNING id, event_id, registration_id, answers, created_at, updated_at`, eventID, registrationID, string(answers))
	return a, wrap("save feedback", err)
}

// Feedback returns a person's answers, ErrNotFound when none.
func (s *Store) Feedback(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (FeedbackAnswer, error) {
	var a FeedbackAnswer
	err := sqlx.GetContext(ctx, q, &a, `SELECT id, event_id, registration_id, answers, created_at, updated_at
FROM feedback_answers WHERE registration_id = $1`, registrationID)
	return a, wrap("feedback", err)
}

// EventFeedback lists an event's answers in a stable order that says nothing
// about who gave them (the answers' own content order).
func (s *Store) EventFeedback(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]json.RawMessage, error) {
	var as []json.RawMessage
	err := sqlx.SelectContext(ctx, q, &as, `SELECT answers FROM feedback_answers WHERE event_id = $1 ORDER BY md5(answers::text), id`, eventID)
	return as, wrap("event feedback", err)
}

// Attended reports whether a registration has an admission that stands.
func (s *Store) Attended(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (bool, error) {
	var ok bool
	err := sqlx.GetContext(ctx, q, &ok, `SELECT EXISTS (SELECT 1 FROM admissions WHERE registration_id = $1 AND undone_at IS NULL)`, registrationID)
	return ok, wrap("attended", err)
}

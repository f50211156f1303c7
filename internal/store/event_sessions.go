package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// EventSession is one item of an event day's timetable: a talk, a workshop.
// StartsAt and EndsAt are wall-clock times ("09:30") in the event's time zone.
type EventSession struct {
	ID       int64     `db:"id"`
	EventID  int64     `db:"event_id"`
	Day      time.Time `db:"day"`
	StartsAt string    `db:"starts_at"`
	EndsAt   string    `db:"ends_at"`
	Title    Texts     `db:"title"`
	Room     string    `db:"room"`
	Speakers string    `db:"speakers"`
	Position int       `db:"position"`
}

// MaxSessionsPerEvent bounds an event's timetable (the public page lists them all).
const MaxSessionsPerEvent = 300

const eventSessionColumns = `id, event_id, day, to_char(starts_at, 'HH24:MI') AS starts_at,
	to_char(ends_at, 'HH24:MI') AS ends_at, title, room, speakers, position`

const selectEventSessions = `SELECT ` + eventSessionColumns + `
FROM event_sessions WHERE event_id = $1 ORDER BY day, starts_at, position, id`

// EventSessions lists an event's sessions by day and time.
func (s *Store) EventSessions(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]EventSession, error) {
	out := []EventSession{}
	err := sqlx.SelectContext(ctx, q, &out, selectEventSessions, eventID)
	return out, wrap("sessions", err)
}

// EventSession returns one session of an event.
func (s *Store) EventSession(ctx context.Context, q sqlx.QueryerContext, eventID, id int64) (EventSession, error) {
	var out EventSession
	err := sqlx.GetContext(ctx, q, &out, `SELECT `+eventSessionColumns+` FROM event_sessions WHERE event_id = $1 AND id = $2`, eventID, id)
	return out, wrap("session", err)
}

// A new session goes after the day's others at the same start time.
const insertEventSession = `
INSERT INTO event_sessions (event_id, day, starts_at, ends_at, title, room, speakers, position)
VALUES (:event_id, :day, CAST(:starts_at AS time), CAST(:ends_at AS time), :title, :room, :speakers,
	(SELECT coalesce(max(position) + 1, 0) FROM event_sessions WHERE event_id = :event_id AND day = :day))
RETURNING id, position`

// CreateEventSession inserts a session and sets its ID and position. A day that
// is not the event's is ErrNotFound.
func (s *Store) CreateEventSession(ctx context.Context, q sqlx.ExtContext, ss *EventSession) error {
	query, args, err := sqlx.Named(insertEventSession, ss)
	if err != nil {
		return err
	}
	row := q.QueryRowxContext(ctx, q.Rebind(query), args...)
	if err := row.Scan(&ss.ID, &ss.Position); err != nil {
		return wrap("create session", eventSessionErr(err))
	}
	return nil
}

const updateEventSession = `
UPDATE event_sessions SET day = :day, starts_at = CAST(:starts_at AS time), ends_at = CAST(:ends_at AS time), title = :title,
	room = :room, speakers = :speakers, updated_at = now()
WHERE id = :id AND event_id = :event_id`

// UpdateEventSession saves a session's day, times and texts.
func (s *Store) UpdateEventSession(ctx context.Context, q sqlx.ExtContext, ss EventSession) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateEventSession, ss)
	if err != nil {
		return wrap("update session", eventSessionErr(err))
	}
	return mustAffect(res, "update session")
}

// DeleteEventSession removes a session of an event.
func (s *Store) DeleteEventSession(ctx context.Context, q sqlx.ExecerContext, eventID, id int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM event_sessions WHERE id = $1 AND event_id = $2`, id, eventID)
	if err != nil {
		return wrap("delete session", err)
	}
	return mustAffect(res, "delete session")
}

// CountEventSessions is how many sessions an event has.
func (s *Store) CountEventSessions(ctx context.Context, q sqlx.QueryerContext, eventID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM event_sessions WHERE event_id = $1`, eventID)
	return n, wrap("count sessions", err)
}

// CopyEventSessions copies an event's sessions to another event whose days are
// the original's moved by shift days (event copies).
func (s *Store) CopyEventSessions(ctx context.Context, q sqlx.ExecerContext, fromEventID, toEventID int64, shift int) error {
	_, err := q.ExecContext(ctx, `
INSERT INTO event_sessions (event_id, day, starts_at, ends_at, title, room, speakers, position)
SELECT $2, day + $3::integer, starts_at, ends_at, title, room, speakers, position
FROM event_sessions WHERE event_id = $1`, fromEventID, toEventID, shift)
	return wrap("copy sessions", err)
}

// eventSessionErr reads a day outside the event (the foreign key) as not found.
func eventSessionErr(err error) error {
	if IsConstraint(err, "event_sessions_event_id_day_fkey") {
		return ErrNotFound
	}
	return err
}

// CopyEventSettings gives a copied event the original's settings kept
// outside the events row's core: whether the door counts exits, the feedback
// questions and closing date (moved by shift days) and the certificate
// signatory and sending.
func (s *Store) CopyEventSettings(ctx context.Context, q sqlx.ExecerContext, fromEventID, toEventID int64, shift int) error {
	if _, err := q.ExecContext(ctx, `
UPDATE events n SET counts_exits = o.counts_exits, feedback_questions = o.feedback_questions,
	feedback_closes_at = o.feedback_closes_at + make_interval(days => $3::integer), updated_at = now()
FROM events o WHERE o.id = $1 AND n.id = $2`, fromEventID, toEventID, shift); err != nil {
		return wrap("copy event settings", err)
	}
	_, err := q.ExecContext(ctx, `
INSERT INTO event_certificate_settings (event_id, signatory_name, signatory_position, auto_send)
SELECT $2, signatory_name, signatory_position, auto_send FROM event_certificate_settings WHERE event_id = $1`,
		fromEventID, toEventID)
	return wrap("copy certificate settings", err)
}

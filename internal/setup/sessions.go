package setup

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// An event day's sessions: the talks and workshops of the timetable, at
// wall-clock times in the event's time zone.

// SessionInput is the session form, or the API's body. Title names a text
// per language (English required); a language it does not name keeps its
// old text.
type SessionInput struct {
	Day      string
	Start    string
	End      string
	Title    map[string]string
	Room     string
	Speakers string
}

// Limits of a session's texts.
const (
	maxSessionTitle    = 300
	maxSessionRoom     = 200
	maxSessionSpeakers = 500
)

// SessionInputOf fills the form from a session.
func SessionInputOf(ss store.EventSession) SessionInput {
	in := SessionInput{Day: ss.Day.Format("2006-01-02"), Start: ss.StartsAt, End: ss.EndsAt,
		Title: map[string]string{}, Room: ss.Room, Speakers: ss.Speakers}
	for k, v := range ss.Title {
		in.Title[k] = v
	}
	return in
}

// sessionFrom validates in over ss (the session being edited, or a new one)
// for event e.
func sessionFrom(e store.Event, in SessionInput, ss *store.EventSession) error {
	inv := &apperr.Invalid{}
	for f, v := range map[string]string{"day": in.Day, "start": in.Start, "end": in.End, "room": in.Room, "speakers": in.Speakers} {
		if !utf8.ValidString(v) {
			inv.Add(f, "timetable.error.text")
		}
	}
	for lang, v := range in.Title {
		if !utf8.ValidString(v) || !utf8.ValidString(lang) {
			inv.Add("title_en", "timetable.error.text")
		}
	}
	if err := inv.Err(); err != nil {
		return err
	}
	d, err := time.Parse("2006-01-02", in.Day)
	switch {
	case err != nil:
		inv.Add("day", "timetable.error.day")
	case d.Before(e.FirstDay) || d.After(e.LastDay):
		inv.Add("day", "timetable.error.day")
	default:
		ss.Day = d
	}
	start, end := clock(inv, "start", in.Start), clock(inv, "end", in.End)
	switch {
	case start == nil && in.Start == "":
		inv.Add("start", "admin.error.required")
	case end == nil && in.End == "":
		inv.Add("end", "admin.error.required")
	case start != nil && end != nil && *end <= *start:
		inv.Add("end", "timetable.error.order")
	}
	if start != nil && end != nil {
		ss.StartsAt, ss.EndsAt = *start, *end
	}
	ss.Title = texts(inv, "title", in.Title, ss.Title, maxSessionTitle, true)
	ss.Room = text(inv, "room", in.Room, maxSessionRoom, false)
	ss.Speakers = text(inv, "speakers", in.Speakers, maxSessionSpeakers, false)
	return inv.Err()
}

func sessionLog(ss store.EventSession) map[string]any {
	return map[string]any{"session": ss.ID, "day": ss.Day.Format("2006-01-02"), "starts_at": ss.StartsAt,
		"ends_at": ss.EndsAt, "title": ss.Title["en"]}
}

// CreateSession adds a session to one of an event's days.
func (s *Service) CreateSession(ctx context.Context, actor *auth.Principal, e store.Event, in SessionInput, ip string) (store.EventSession, error) {
	ss := store.EventSession{EventID: e.ID}
	if err := sessionFrom(e, in, &ss); err != nil {
		return ss, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		// The event's row lock keeps the count below the limit under concurrency.
		if err := s.Store.LockQuestions(ctx, tx, e.ID); err != nil {
			return err
		}
		n, err := s.Store.CountEventSessions(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if n >= store.MaxSessionsPerEvent {
			return &apperr.Invalid{Fields: map[string]string{"title_en": "timetable.error.too_many"}}
		}
		if err := s.Store.CreateEventSession(ctx, tx, &ss); err != nil {
			return sessionDayErr(err)
		}
		return s.log(ctx, tx, actor, ip, "session.create", "event", e.ID, sessionLog(ss))
	})
	return ss, err
}

// UpdateSession saves a session of an event.
func (s *Service) UpdateSession(ctx context.Context, actor *auth.Principal, e store.Event, id int64, in SessionInput, ip string) (store.EventSession, error) {
	var ss store.EventSession
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.EventSession(ctx, tx, e.ID, id)
		if err != nil {
			return err
		}
		ss = old
		if err := sessionFrom(e, in, &ss); err != nil {
			return err
		}
		if err := s.Store.UpdateEventSession(ctx, tx, ss); err != nil {
			return sessionDayErr(err)
		}
		return s.log(ctx, tx, actor, ip, "session.update", "event", e.ID, sessionLog(ss))
	})
	return ss, err
}

// DeleteSession removes a session of an event.
func (s *Service) DeleteSession(ctx context.Context, actor *auth.Principal, e store.Event, id int64, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		old, err := s.Store.EventSession(ctx, tx, e.ID, id)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteEventSession(ctx, tx, e.ID, id); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "session.delete", "event", e.ID, sessionLog(old))
	})
}

// sessionDayErr: a day the event no longer has (its dates changed meanwhile).
func sessionDayErr(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &apperr.Invalid{Fields: map[string]string{"day": "timetable.error.day"}}
	}
	return err
}

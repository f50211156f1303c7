package api

import (
	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// The JSON shapes of an event day's sessions (86-sessions.json).

// Session is a session as the API answers it; times are wall-clock times in
// the event's time zone.
type Session struct {
	ID       int64       `json:"id"`
	Date     string      `json:"date"`
	StartsAt string      `json:"starts_at"`
	EndsAt   string      `json:"ends_at"`
	Title    store.Texts `json:"title"`
	Room     string      `json:"room"`
	Speakers string      `json:"speakers"`
	Position int         `json:"position"`
}

func sessionJSON(s store.EventSession) Session {
	return Session{ID: s.ID, Date: s.Day.Format("2006-01-02"), StartsAt: s.StartsAt, EndsAt: s.EndsAt,
		Title: s.Title, Room: s.Room, Speakers: s.Speakers, Position: s.Position}
}

// sessionBody is the body of POST .../sessions and PATCH .../sessions/{id}:
// PATCH changes what it names, a title's languages included.
type sessionBody struct {
	Date     optional[string]  `json:"date"`
	StartsAt optional[string]  `json:"starts_at"`
	EndsAt   optional[string]  `json:"ends_at"`
	Title    map[string]string `json:"title"`
	Room     optional[string]  `json:"room"`
	Speakers optional[string]  `json:"speakers"`
}

func (b sessionBody) apply(in *setup.SessionInput) {
	b.Date.str(&in.Day, asIs)
	b.StartsAt.str(&in.Start, asIs)
	b.EndsAt.str(&in.End, asIs)
	if in.Title == nil {
		in.Title = map[string]string{}
	}
	mergeTexts(in.Title, b.Title)
	b.Room.str(&in.Room, asIs)
	b.Speakers.str(&in.Speakers, asIs)
}

// sessionFields names setup's form fields as the API's.
func sessionFields(err error) error {
	inv, ok := apperr.AsInvalid(jsonFields(err))
	if !ok {
		return err
	}
	names := map[string]string{"day": "date", "start": "starts_at", "end": "ends_at"}
	out := &apperr.Invalid{Conflict: inv.Conflict}
	for f, key := range inv.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		out.Add(f, key)
	}
	return out
}

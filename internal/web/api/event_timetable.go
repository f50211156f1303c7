package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// TimetableDay is one event day's times ("09:30", in the event's time zone).
type TimetableDay struct {
	Date     string  `json:"date"`
	StartsAt *string `json:"starts_at"`
	EndsAt   *string `json:"ends_at"`
}

// TimetableDayOut is a day as GET answers it: its times and its sessions.
type TimetableDayOut struct {
	TimetableDay
	Sessions []Session `json:"sessions"`
}

// Timetable is an event's days with their times and sessions.
type Timetable struct {
	TimeZone string            `json:"time_zone"`
	Days     []TimetableDayOut `json:"days"`
}

func (h *ProgrammeAPI) timetable(c *gin.Context, slug string) (Timetable, error) {
	e, err := h.Env.Objects.Event(c, auth.Manage, slug)
	if err != nil {
		return Timetable{}, err
	}
	days, err := h.Store.EventDays(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return Timetable{}, err
	}
	sessions, err := h.Store.EventSessions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return Timetable{}, err
	}
	out := Timetable{TimeZone: e.TimeZone, Days: []TimetableDayOut{}}
	for _, d := range days {
		day := TimetableDayOut{TimetableDay: TimetableDay{Date: d.Day.Format("2006-01-02"), StartsAt: d.StartsAt, EndsAt: d.EndsAt},
			Sessions: []Session{}}
		for _, s := range sessions {
			if s.Day.Equal(d.Day) {
				day.Sessions = append(day.Sessions, sessionJSON(s))
			}
		}
		out.Days = append(out.Days, day)
	}
	return out, nil
}

// EventTimetable answers GET /api/v1/events/{slug}/timetable.
func (h *ProgrammeAPI) EventTimetable(c *gin.Context) error {
	out, err := h.timetable(c, c.Param("slug"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// EventTimetableUpdate answers PUT /api/v1/events/{slug}/timetable: the days
// the body names get its times (null: none), the others stay; one
// transaction, nothing stored when a day is refused.
func (h *ProgrammeAPI) EventTimetableUpdate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b struct {
		Days []TimetableDay `json:"days"`
	}
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	valid := map[string]bool{}
	for _, d := range e.Days() {
		valid[d.Format("2006-01-02")] = true
	}
	inv := &apperr.Invalid{}
	times := map[string]setup.DayTimes{}
	for _, d := range b.Days {
		if !valid[d.Date] {
			inv.Add("days."+d.Date, "timetable.error.day")
			continue
		}
		t := setup.DayTimes{}
		if d.StartsAt != nil {
			t.Start = *d.StartsAt
		}
		if d.EndsAt != nil {
			t.End = *d.EndsAt
		}
		times[d.Date] = t
	}
	if err := inv.Err(); err != nil {
		return err
	}
	if err := h.Setup.SetDays(c.Request.Context(), httpx.Principal(c), e.ID, nil, times, c.ClientIP()); err != nil {
		return timetableFields(err)
	}
	out, err := h.timetable(c, e.Slug)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// timetableFields names setup's start_/end_ fields as the API's days.<date>.
func timetableFields(err error) error {
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		return err
	}
	out := &apperr.Invalid{Conflict: inv.Conflict}
	for f, key := range inv.Fields {
		for _, p := range []struct{ form, api string }{{"start_", ".starts_at"}, {"end_", ".ends_at"}} {
			if day, ok := strings.CutPrefix(f, p.form); ok {
				f = "days." + day + p.api
			}
		}
		out.Add(f, key)
	}
	return out
}

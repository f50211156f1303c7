package admin

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// attendancePage is a day's attendance list, ticked from a paper sign-in list.
type attendancePage struct {
	Event  store.Event
	Day    time.Time
	DayKey string
	Days   []attendanceTab
	Future bool                // the day has not come yet in the event's time zone: nothing to tick
	Rows   []checkin.PaperRow  // confirmed people of the day, and anyone admitted that day
	Others []checkin.PaperRow  // cancelled, waitlisted, unconfirmed: for information
	Ticked map[int64]bool      // what the form shows ticked
	Listed int                 // people on the list (Rows)
	In     int                 // of them, admitted now
	Saved  *checkin.PaperSaved // the save just made, shown as a summary
	All    bool                // "tick everyone" was asked for
}

// attendanceTab is one day of the event in the day tabs.
type attendanceTab struct {
	Day     time.Time
	Key     string
	Current bool
	Future  bool
}

// attendanceDay reads the ?day= or form day of the list: a day of the event,
// or by default today when the event runs, else its first day. ok is false
// for a day given that is not one of the event's.
func attendanceDay(e store.Event, given string, today time.Time) (time.Time, bool) {
	if given == "" {
		if today.Before(e.FirstDay) || today.After(e.LastDay) {
			return e.FirstDay, true
		}
		return today, true
	}
	for _, d := range e.Days() {
		if d.Format(time.DateOnly) == given {
			return d, true
		}
	}
	return e.FirstDay, false
}

// attendance renders the list of day; ticked is what the form shows ticked
// (nil: the admitted people, and with all everyone who may be ticked).
func (h *Handler) attendance(c *gin.Context, status int, e store.Event, day time.Time, ticked map[int64]bool, all bool, f *form) error {
	rows, err := h.Checkin.PaperAttendance(c.Request.Context(), httpx.Principal(c), e.ID, day, httpx.Lang(c))
	if err != nil {
		return err
	}
	today := h.Checkin.Today(e)
	d := attendancePage{Event: e, Day: day, DayKey: day.Format(time.DateOnly), Future: day.After(today), All: all}
	for _, x := range e.Days() {
		d.Days = append(d.Days, attendanceTab{Day: x, Key: x.Format(time.DateOnly), Current: x.Equal(day), Future: x.After(today)})
	}
	for _, r := range rows {
		if r.Status == store.StatusConfirmed || r.Admitted {
			d.Rows = append(d.Rows, r)
			d.Listed++
			if r.Admitted {
				d.In++
			}
		} else {
			d.Others = append(d.Others, r)
		}
	}
	if ticked == nil {
		ticked = map[int64]bool{}
		for _, r := range d.Rows {
			if r.Admitted || all && r.Tickable() && !d.Future {
				ticked[r.RegistrationID] = true
			}
		}
	}
	d.Ticked = ticked
	if s, ok := savedSummary(c, d.DayKey); ok && status < 300 {
		d.Saved = &s
	}
	f.Data = d
	h.render(c, status, "attendance", "attendance.title", f)
	return nil
}

// savedSummary reads the counts a save redirected with.
func savedSummary(c *gin.Context, day string) (checkin.PaperSaved, bool) {
	if c.Query("saved") != "1" {
		return checkin.PaperSaved{}, false
	}
	n := func(k string) int {
		v, err := strconv.Atoi(c.Query(k))
		if err != nil || v < 0 || v > checkin.MaxPaperIDs {
			return 0
		}
		return v
	}
	return checkin.PaperSaved{Day: day, Admitted: n("admitted"), Undone: n("undone")}, true
}

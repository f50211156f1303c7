package door

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type liveData struct {
	Event         store.Event
	Title         string
	Day           string
	Counts        checkin.Counts
	DoubleEntries []store.DoubleEntry
	Events        []store.Event
	Messages      string
}

// Live serves /door/live?event=slug: the coordinators' live counts screen
// with the double entries found after offline syncs. Without an event it
// lists the events the caller may watch.
func (h *Handler) Live(c *gin.Context) error {
	ctx := c.Request.Context()
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := liveData{Messages: messages(l)}
	slug := c.Query("event")
	if slug == "" {
		var err error
		if d.Events, err = h.events(c, auth.Work); err != nil {
			return err
		}
		page := h.Env.NewPage(c, l.T("door.live.title"), d)
		h.Env.HTML(c, http.StatusOK, "door/live.html", page)
		return nil
	}
	ev, err := h.Env.Objects.Event(c, auth.Work, slug)
	if err != nil {
		return err
	}
	day := h.Checkin.Today(ev)
	d.Event, d.Title, d.Day = ev, ev.Title.In(l.Lang), l.Date(day)
	if d.Counts, err = h.Checkin.Counts(ctx, ev.ID, day); err != nil {
		return err
	}
	if d.DoubleEntries, err = h.Store.DoubleEntries(ctx, h.Store.DB, ev.ID); err != nil {
		return err
	}
	// The database returns scan times in its session's zone (UTC); the door
	// staff read them on the event's clock.
	loc := ev.Location()
	for i := range d.DoubleEntries {
		de := &d.DoubleEntries[i]
		de.OtherAt = de.OtherAt.In(loc)
		if de.KeptAt != nil {
			kept := de.KeptAt.In(loc)
			de.KeptAt = &kept
		}
	}
	page := h.Env.NewPage(c, l.T("door.live.title")+": "+d.Title, d)
	h.Env.HTML(c, http.StatusOK, "door/live.html", page)
	return nil
}

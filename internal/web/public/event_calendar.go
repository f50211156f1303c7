package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/ics"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCalendar downloads the event as an iCalendar file: each day at its
// timetable's times in the event's time zone and each session as an entry of
// its own, or all-day entries in the event's dates when nothing has times (so
// no client shifts them).
func (h *Handler) EventCalendar(c *gin.Context) error {
	e, err := h.loadEvent(c)
	if err != nil {
		return err
	}
	return h.sendCalendar(c, e, "")
}

func (h *Handler) sendCalendar(c *gin.Context, e store.Event, uidSuffix string) error {
	days, err := h.Store.EventDays(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	sessions, err := h.Store.EventSessions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	base := h.Reg.BaseURL
	location := e.Venue
	if e.Address != "" {
		location += ", " + e.Address
	}
	location += ", " + e.CityIn(l.Lang) + ", " + l.Country(e.Country)
	host := "attend"
	if u := base; u != "" {
		host = hostOf(u)
	}
	body := ics.Write(ics.Event{
		UID: e.Slug + uidSuffix + "@" + host, Summary: e.Title.In(lang), Description: e.Description.In(lang),
		Location: location, URL: base + "/" + lang + "/events/" + e.Slug,
		FirstDay: e.FirstDay, LastDay: e.LastDay, TimeZone: e.TimeZone, Days: ics.DaysOf(days), Sessions: ics.SessionsOf(sessions, lang),
		Stamp: h.Now(),
	})
	c.Header("Content-Disposition", `attachment; filename="`+e.Slug+`.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
	return nil
}

func hostOf(u string) string {
	for _, p := range []string{"https://", "http://"} {
		if len(u) > len(p) && u[:len(p)] == p {
			u = u[len(p):]
		}
	}
	for i := 0; i < len(u); i++ {
		if u[i] == '/' || u[i] == ':' {
			return u[:i]
		}
	}
	return u
}

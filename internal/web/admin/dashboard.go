package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

// eventRow is an event with its counts, localized for a list.
type eventRow struct {
	store.Event
	TitleText string
	Dates     string
	Open      bool
	Stats     store.EventStats
}

func (h *Handler) eventRows(c *gin.Context) ([]eventRow, error) {
	evs, err := h.events(c)
	if err != nil {
		return nil, err
	}
	stats, err := h.Store.EventStatsAll(c.Request.Context(), h.Store.DB)
	if err != nil {
		return nil, err
	}
	l := h.l(c)
	now := h.Now()
	rows := make([]eventRow, 0, len(evs))
	for _, e := range evs {
		rows = append(rows, eventRow{Event: e, TitleText: e.Title.In(l.Lang), Dates: l.DateRange(e.FirstDay, e.LastDay),
			Open: e.RegistrationOpen(now), Stats: stats[e.ID]})
	}
	return rows, nil
}

type dashboardData struct {
	Events []eventRow
	Totals store.EventStats
}

// Dashboard shows every event's registrations and attendance at a glance.
func (h *Handler) Dashboard(c *gin.Context) error {
	rows, err := h.eventRows(c)
	if err != nil {
		return err
	}
	d := dashboardData{Events: rows}
	for _, r := range rows {
		d.Totals.Confirmed += r.Stats.Confirmed
		d.Totals.Pending += r.Stats.Pending
		d.Totals.Waitlisted += r.Stats.Waitlisted
		d.Totals.Attended += r.Stats.Attended
	}
	h.render(c, http.StatusOK, "dashboard", "admin.dashboard.title", newForm(d))
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventDays sets the days' own capacities and their start and end times.
func (h *Handler) EventDays(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	caps, times := map[string]string{}, map[string]setup.DayTimes{}
	for _, d := range e.Days() {
		k := d.Format("2006-01-02")
		caps[k] = c.PostForm("day_" + k)
		times[k] = setup.DayTimes{Start: c.PostForm("start_" + k), End: c.PostForm("end_" + k)}
	}
	err = h.Manage.SetDays(c.Request.Context(), httpx.Principal(c), e.ID, caps, times, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=saved", func(f *form) error {
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: setup.InputOf(e)}, f)
	})
}

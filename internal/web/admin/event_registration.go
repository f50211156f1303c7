package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventRegistration opens or closes registration and sets the capacity (the
// quick controls of the event list).
func (h *Handler) EventRegistration(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	inv := &apperr.Invalid{}
	capacity := setup.ParseCapacity(inv, "capacity", c.PostForm("capacity"))
	if err = inv.Err(); err == nil {
		err = h.Manage.SetRegistration(c.Request.Context(), httpx.Principal(c), e.ID, capacity,
			c.PostForm("registration_state"), c.ClientIP())
	}
	return finish(c, err, "/admin/events?done=saved", func(f *form) error {
		rows, err := h.eventRows(c)
		if err != nil {
			return err
		}
		f.Data = eventsData{Events: rows, States: setup.RegistrationStates}
		f.Values["event"] = e.Slug
		h.render(c, http.StatusUnprocessableEntity, "events", "admin.events.title", f)
		return nil
	})
}

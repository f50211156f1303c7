package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/manage"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventRegistration opens or closes registration and sets the capacity (the
// quick controls of the event list).
func (h *Handler) EventRegistration(c *gin.Context) {
	e, err := h.event(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	inv := &apperr.Invalid{}
	capacity := manage.ParseCapacity(inv, "capacity", c.PostForm("capacity"))
	if err = inv.Err(); err == nil {
		err = h.Manage.SetRegistration(c.Request.Context(), httpx.Principal(c), e.ID, capacity,
			c.PostForm("registration_state"), c.ClientIP())
	}
	if err != nil {
		if _, ok := apperr.AsInvalid(err); ok {
			rows, rerr := h.eventRows(c)
			if rerr != nil {
				h.Env.Fail(c, rerr)
				return
			}
			f := newForm(eventsData{Events: rows, States: manage.RegistrationStates})
			f.fail(err)
			f.Values["event"] = e.Slug
			h.render(c, http.StatusUnprocessableEntity, "events", "admin.events.title", f)
			return
		}
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/events?done=saved")
}

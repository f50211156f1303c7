package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCopy makes a new event from this one (days, capacity, questions,
// texts) at a new slug and first day, then shows the copy.
func (h *Handler) EventCopy(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	in := setup.CopyInput{Slug: c.PostForm("copy_slug"), FirstDay: c.PostForm("copy_first_day")}
	cp, err := h.Manage.CopyEvent(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	if f := newForm(nil); f.fail(err) {
		// The copy form's fields are named copy_*.
		errs := map[string]string{}
		for k, v := range f.Errors {
			errs["copy_"+k] = v
		}
		f.Errors = errs
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: setup.InputOf(e), Copy: in}, f)
	}
	if err != nil {
		return err
	}
	redirect(c, "/admin/events/"+cp.Slug+"?done=event_copied")
	return nil
}

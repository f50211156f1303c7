package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// copyBody is the body of POST /api/v1/events/{slug}/copy.
type copyBody struct {
	Slug     string `json:"slug"`
	FirstDay string `json:"first_day"`
}

// EventCopy answers POST /api/v1/events/{slug}/copy: a new event like this one
// (texts, place, host, capacity, days, questions) from first_day, with no
// registrations and registration closed; 201 with it.
func (h *ProgrammeAPI) EventCopy(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b copyBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	cp, err := h.Setup.CopyEvent(c.Request.Context(), httpx.Principal(c), e.ID, setup.CopyInput{Slug: b.Slug, FirstDay: b.FirstDay}, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	out, err := h.event(c.Request.Context(), cp)
	if err != nil {
		return err
	}
	answerCreated(c, "/api/v1/events/"+cp.Slug, out)
	return nil
}

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventUpdate answers PATCH /api/v1/events/{slug}: the fields the body names
// change, under the event screen's rules (dates keep every registered day,
// capacity stays above the confirmed seats); 200 with the event.
func (h *ProgrammeAPI) EventUpdate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b eventBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.InputOf(e)
	// The window's times to the second (the form's have minutes only).
	for _, t := range []struct {
		at  *time.Time
		dst *string
	}{{e.RegistrationOpensAt, &in.OpensAt}, {e.RegistrationClosesAt, &in.ClosesAt}} {
		if t.at != nil {
			*t.dst = t.at.Format(time.RFC3339)
		}
	}
	b.apply(&in)
	saved, err := h.Setup.UpdateEvent(c.Request.Context(), httpx.Principal(c), e.ID, in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	out, err := h.event(c.Request.Context(), saved)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

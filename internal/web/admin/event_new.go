package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventNew shows an empty event form for the project of ?project= (else the
// first the caller manages), so that the host list holds that project's
// partners and no other network's.
func (h *Handler) EventNew(c *gin.Context) error {
	in := setup.EventInput{RegistrationState: "auto", TimeZone: "Europe/Riga", Title: map[string]string{},
		Description: map[string]string{}}
	if code := c.Query("project"); code != "" {
		p, err := h.Env.Objects.Project(c, auth.Manage, code)
		if err != nil {
			return err
		}
		in.ProjectID = p.ID
	} else if ps, err := h.Store.Projects(c.Request.Context(), h.Store.DB); err == nil {
		for _, p := range ps {
			if httpx.Principal(c).May(auth.Manage, auth.ProjectObject(p.ID), h.Now()) {
				in.ProjectID = p.ID
				break
			}
		}
	}
	return h.eventForm(c, http.StatusOK, eventForm{New: true, Input: in}, newForm(nil))
}

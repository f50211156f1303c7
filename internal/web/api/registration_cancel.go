package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationCancel answers POST /api/v1/registrations/{id}/cancel: as the
// screen's cancel, the ticket stops working, the person is told and the seat
// goes to the waiting list. Cancelling again changes nothing.
func (h *StaffRegistrationsAPI) RegistrationCancel(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	if _, _, err := h.Env.Objects.Registration(c, auth.Manage, id); err != nil {
		return err
	}
	if err := h.Reg.Cancel(c.Request.Context(), id, httpx.Principal(c)); err != nil {
		return err
	}
	it, err := h.item(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, it)
	return nil
}

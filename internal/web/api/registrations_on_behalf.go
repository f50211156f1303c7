package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// onBehalfRequest is the body of POST /api/v1/events/{slug}/registrations/on-behalf:
// the public registration's fields, the reason and whether to e-mail the ticket.
type onBehalfRequest struct {
	registrationRequest
	Reason     string `json:"reason"`
	SendTicket bool   `json:"send_ticket"`
}

// onBehalfResponse is the registration made, and whether its ticket was e-mailed.
type onBehalfResponse struct {
	registrationItem
	TicketEmailed bool `json:"ticket_emailed"`
}

// RegistrationsOnBehalf answers POST /api/v1/events/{slug}/registrations/on-behalf:
// staff register a person, confirmed at once (or waitlisted when full), 201.
func (h *StaffRegistrationsAPI) RegistrationsOnBehalf(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var req onBehalfRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := req.input()
	res, err := h.Reg.RegisterByStaff(c.Request.Context(), httpx.Principal(c), e.Slug, in, req.Reason, req.SendTicket)
	var dup *registration.AlreadyRegistered
	if errors.As(err, &dup) {
		h.failAlreadyRegistered(c, dup.ID)
		return nil
	}
	if err != nil {
		return err
	}
	it, err := h.item(c, res.Registration.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, onBehalfResponse{registrationItem: it, TicketEmailed: res.Emailed})
	return nil
}

package admin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationTicketPDF is a confirmed registration's printable ticket, the
// same PDF as behind the person's private link (A4, or ?size=phone), for
// staff to print or hand over. The download is audited.
func (h *Handler) RegistrationTicketPDF(c *gin.Context) error {
	r, e, err := h.registration(c)
	if err != nil {
		return err
	}
	if r.Status != store.StatusConfirmed || r.AnonymisedAt != nil {
		return apperr.ErrNotFound
	}
	ctx := c.Request.Context()
	t, err := h.Store.LiveTicket(ctx, h.Store.DB, r.ID)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.ErrNotFound
	}
	if err != nil {
		return err
	}
	p, err := h.Store.Project(ctx, h.Store.DB, e.ProjectID)
	if err != nil {
		return err
	}
	label := p.Acronym
	if label == "" {
		label = p.Title.In(r.Language)
	}
	size, variant, name := pdfdoc.A4, "a4", "ticket-"+t.Code+".pdf"
	if c.Query("size") == "phone" {
		size, variant, name = pdfdoc.Phone, "phone", "ticket-"+t.Code+"-phone.pdf"
	}
	// The ticket is printed in the person's language, whoever prints it.
	pdf, err := tickets.PDF(tickets.NewDocument(h.Env.I18n.Localizer(registration.MatchLanguage(r.Language)), r, e, t, label), size)
	if err != nil {
		return err
	}
	if err := audit.Log(ctx, h.Store, h.Store.DB, audit.Entry{Actor: httpx.Principal(c), Action: "export.ticket",
		ObjectType: "registration", ObjectID: r.ID, IP: c.ClientIP(),
		Details: map[string]any{"format": "pdf", "size": variant, "ticket_id": t.ID}}); err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", `inline; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

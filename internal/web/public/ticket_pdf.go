package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// TicketPDF is the printable ticket: A4, or ?size=phone for a page that fills
// a phone screen.
func (h *TicketPages) TicketPDF(c *gin.Context) error {
	tc, err := h.loadTicket(c)
	if err != nil {
		return err
	}
	size, variant, name := pdfdoc.A4, "a4", "ticket-"+tc.Ticket.Code+".pdf"
	if c.Query("size") == "phone" {
		size, variant, name = pdfdoc.Phone, "phone", "ticket-"+tc.Ticket.Code+"-phone.pdf"
	}
	lang := httpx.Lang(c)
	private(c, 300)
	if etag(c, tc.Ticket, "pdf-"+variant+"-"+lang) {
		return nil
	}
	l := h.Env.I18n.Localizer(lang)
	pdf, err := tickets.PDF(tickets.NewDocument(l, tc.Reg, tc.Event, *tc.Ticket, projectLabel(tc)), size)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `inline; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

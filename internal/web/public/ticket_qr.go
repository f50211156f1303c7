package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/qr"
)

// TicketQRPNG is the ticket's QR code as a PNG (for saving to a phone).
func (h *TicketPages) TicketQRPNG(c *gin.Context) error { return h.qr(c, "png") }

// TicketQRSVG is the ticket's QR code as SVG, sharp at any size (the page uses it).
func (h *TicketPages) TicketQRSVG(c *gin.Context) error { return h.qr(c, "svg") }

func (h *TicketPages) qr(c *gin.Context, format string) error {
	tc, err := h.loadTicket(c)
	if err != nil {
		return err
	}
	// The image changes only when the ticket is re-issued (a new id, a new
	// ETag); a short lifetime keeps a cancelled ticket from lingering.
	private(c, 600)
	if etag(c, tc.Ticket, format) {
		return nil
	}
	if format == "svg" {
		b, err := qr.SVG(tc.Ticket.Payload)
		if err != nil {
			return err
		}
		c.Data(http.StatusOK, "image/svg+xml", b)
		return nil
	}
	b, err := qr.PNG(tc.Ticket.Payload, 640)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `inline; filename="ticket-`+tc.Ticket.Code+`.png"`)
	c.Data(http.StatusOK, "image/png", b)
	return nil
}

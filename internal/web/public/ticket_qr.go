package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/qr"
)

// TicketQRPNG is the ticket's QR code as a PNG (for saving to a phone).
func (h *TicketPages) TicketQRPNG(c *gin.Context) { h.qr(c, "png") }

// TicketQRSVG is the ticket's QR code as SVG, sharp at any size (the page uses it).
func (h *TicketPages) TicketQRSVG(c *gin.Context) { h.qr(c, "svg") }

func (h *TicketPages) qr(c *gin.Context, format string) {
	tc, err := h.load(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	if tc.Ticket == nil {
		h.Env.Fail(c, apperr.ErrNotFound)
		return
	}
	// The image changes only when the ticket is re-issued (a new id, a new
	// ETag); a short lifetime keeps a cancelled ticket from lingering.
	private(c, 600)
	if etag(c, tc.Ticket, format) {
		return
	}
	if format == "svg" {
		b, err := qr.SVG(tc.Ticket.Payload)
		if err != nil {
			h.Env.Fail(c, err)
			return
		}
		c.Data(http.StatusOK, "image/svg+xml", b)
		return
	}
	b, err := qr.PNG(tc.Ticket.Payload, 640)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="ticket-`+tc.Ticket.Code+`.png"`)
	c.Data(http.StatusOK, "image/png", b)
}

package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type ticketPage struct {
	Doc      tickets.Document
	Has      bool
	Status   string
	Base     string
	ManageOK bool
}

// TicketShow is the ticket page: the QR large, who, which event and days,
// printable, with the PDF and calendar links.
func (h *TicketPages) TicketShow(c *gin.Context) error {
	tc, err := h.load(c)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := ticketPage{Status: string(tc.Reg.Status), Base: tc.Base}
	if tc.Ticket != nil {
		d.Has = true
		d.Doc = tickets.NewDocument(l, tc.Reg, tc.Event, *tc.Ticket, projectLabel(tc))
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	page := h.Env.NewPage(c, l.T("ticketpage.title"), d)
	page.BodyClass = "ticket-page"
	h.Env.HTML(c, http.StatusOK, "ticket/show.html", page)
	return nil
}

func projectLabel(tc ticketContext) string {
	if tc.Project.Acronym != "" {
		return tc.Project.Acronym
	}
	return tc.Project.Title.In(tc.Reg.Language)
}

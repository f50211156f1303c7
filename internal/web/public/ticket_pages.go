package public

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ManageVerifier opens a private link: the registration's id and token.
type ManageVerifier interface {
	VerifyManage(ctx context.Context, id int64, token string) (store.Registration, error)
}

// TicketPages serves the ticket behind the private link: the page, the PDF
// and the QR image.
type TicketPages struct {
	Env      *httpx.Env
	Store    *store.Store
	Verifier ManageVerifier
	Now      func() time.Time
}

// ticketContext is what every ticket route loads.
type ticketContext struct {
	Reg     store.Registration
	Event   store.Event
	Project store.Project
	Ticket  *store.Ticket // nil when the registration has no live ticket
	Base    string        // the private link path: /lang/r/id/token
}

// load verifies the private link and loads the registration's live ticket.
// A wrong link is a plain 404 that says nothing about whether the id exists.
func (h *TicketPages) load(c *gin.Context) (ticketContext, error) {
	r, err := privateLink(c, h.Verifier)
	if err != nil {
		return ticketContext{}, err
	}
	tc := ticketContext{Reg: r, Base: "/" + httpx.Lang(c) + "/r/" + c.Param("id") + "/" + c.Param("token")}
	if tc.Event, err = h.Store.Event(c.Request.Context(), h.Store.DB, r.EventID); err != nil {
		return ticketContext{}, err
	}
	if tc.Project, err = h.Store.Project(c.Request.Context(), h.Store.DB, tc.Event.ProjectID); err != nil {
		return ticketContext{}, err
	}
	if r.Status == store.StatusConfirmed {
		t, err := h.Store.LiveTicket(c.Request.Context(), h.Store.DB, r.ID)
		switch {
		case err == nil:
			tc.Ticket = &t
		case !errors.Is(err, store.ErrNotFound):
			return ticketContext{}, err
		}
	}
	return tc, nil
}

// loadTicket is load for the routes that send the ticket itself: without a
// live ticket there is nothing to send.
func (h *TicketPages) loadTicket(c *gin.Context) (ticketContext, error) {
	tc, err := h.load(c)
	if err == nil && tc.Ticket == nil {
		err = apperr.ErrNotFound
	}
	return tc, err
}

// private marks answers that hold personal data: the browser may keep them
// for the holder (offline at the door) but no shared cache may.
func private(c *gin.Context, maxAge int) {
	c.Header("Cache-Control", "private, max-age="+strconv.Itoa(maxAge))
	c.Header("X-Robots-Tag", "noindex, nofollow")
}

// etag answers 304 when the client holds the current version of the ticket.
func etag(c *gin.Context, t *store.Ticket, variant string) bool {
	tag := `"t` + strconv.FormatInt(t.ID, 10) + "-" + variant + `"`
	c.Header("ETag", tag)
	if c.GetHeader("If-None-Match") == tag {
		c.Status(304)
		return true
	}
	return false
}

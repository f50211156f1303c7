package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Statuses a registration list can be filtered by.
var statuses = []string{string(store.StatusConfirmed), string(store.StatusPending), string(store.StatusWaitlisted), string(store.StatusCancelled)}

const pageSize = 50

type registrationsData struct {
	Rows     []store.RegistrationRow
	Total    int
	Events   []eventRow
	Statuses []string
	Event    string
	Status   string
	Q        string
	Page     int
	// AddTo is the event a person may be added to from this page: the one
	// shown, when the caller manages it.
	AddTo string
	Prev  string
	Next  string
}

// RegistrationsList searches registrations by name, e-mail, organisation,
// city or number, filtered by event and status.
func (h *Handler) RegistrationsList(c *gin.Context) error {
	d := registrationsData{Statuses: statuses, Event: c.Query("event"), Status: c.Query("status"),
		Q: strings.TrimSpace(c.Query("q")), Page: 1}
	if len(d.Q) > 200 {
		d.Q = d.Q[:200]
	}
	if !slices.Contains(statuses, d.Status) {
		d.Status = ""
	}
	if p, err := strconv.Atoi(c.Query("page")); err == nil && p > 1 && p < 100000 {
		d.Page = p
	}
	var err error
	if d.Events, err = h.eventRows(c); err != nil {
		return err
	}
	f := store.RegistrationFilter{ProjectID: projectScope(httpx.Principal(c)), Status: store.Status(d.Status), Q: d.Q,
		Limit: pageSize, Offset: (d.Page - 1) * pageSize}
	if d.Event != "" {
		f.EventID = -1 // an unknown slug matches nothing
		for _, e := range d.Events {
			if e.Slug == d.Event {
				f.EventID, d.AddTo = e.ID, e.Slug
			}
		}
	}
	if d.Rows, d.Total, err = h.Store.RegistrationRows(c.Request.Context(), h.Store.DB, f); err != nil {
		return err
	}
	link := func(page int) string {
		v := url.Values{}
		for k, s := range map[string]string{"event": d.Event, "status": d.Status, "q": d.Q} {
			if s != "" {
				v.Set(k, s)
			}
		}
		v.Set("page", strconv.Itoa(page))
		return "/admin/registrations?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page*pageSize < d.Total {
		d.Next = link(d.Page + 1)
	}
	h.render(c, http.StatusOK, "registrations", "admin.registrations.title", newForm(d))
	return nil
}

package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// registrationPage is one page of the list; NextCursor is null on the last.
type registrationPage struct {
	Items      []registrationItem `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

var (
	listStatuses       = []store.Status{store.StatusPending, store.StatusConfirmed, store.StatusWaitlisted, store.StatusCancelled}
	listParticipations = []store.Participation{store.Local, store.Invited, store.Other}
)

// RegistrationsList answers GET /api/v1/events/{slug}/registrations: the
// event's registrations in id order, filtered (status, q, partner,
// participation), a page at a time (limit, cursor). Each page is a read of
// personal data and gets an audit entry.
func (h *StaffRegistrationsAPI) RegistrationsList(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	f := store.RegistrationPageFilter{EventID: e.ID, Limit: 50, Q: strings.TrimSpace(c.Query("q"))}
	inv := &apperr.Invalid{}
	var filters []string
	if s := c.Query("status"); s != "" {
		f.Status = store.Status(s)
		filters = append(filters, "status")
		if !slices.Contains(listStatuses, f.Status) {
			inv.Add("status", "admin.api.status")
		}
	}
	if p := c.Query("participation"); p != "" {
		f.Participation = store.Participation(p)
		filters = append(filters, "participation")
		if !slices.Contains(listParticipations, f.Participation) {
			inv.Add("participation", "reg.error.participation")
		}
	}
	if slug := c.Query("partner"); slug != "" {
		filters = append(filters, "partner")
		partners, err := h.Store.Partners(ctx, h.Store.DB, e.ProjectID)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(partners, func(p store.Partner) bool { return p.Slug == slug }); i >= 0 {
			f.PartnerID = partners[i].ID
		} else {
			inv.Add("partner", "reg.error.partner")
		}
	}
	if f.Q != "" {
		filters = append(filters, "q")
		if len([]rune(f.Q)) > 200 {
			inv.Add("q", "reg.error.too_long")
		}
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			inv.Add("limit", "admin.api.limit")
		case n > 500:
			f.Limit = 500
		default:
			f.Limit = n
		}
	}
	if s := c.Query("cursor"); s != "" {
		id, ok := decodeCursor(s)
		if !ok {
			inv.Add("cursor", "admin.api.cursor")
		}
		f.After = id
	}
	if err := inv.Err(); err != nil {
		return err
	}
	want := f.Limit
	f.Limit++ // one more tells whether another page follows
	rows, err := h.Store.RegistrationPage(ctx, h.Store.DB, f)
	if err != nil {
		return err
	}
	page := registrationPage{Items: []registrationItem{}}
	if len(rows) > want {
		rows = rows[:want]
		next := encodeCursor(rows[len(rows)-1].ID)
		page.NextCursor = &next
	}
	for _, r := range rows {
		page.Items = append(page.Items, newRegistrationItem(r))
	}
	if filters == nil {
		filters = []string{}
	}
	if err := audit.Log(ctx, h.Store, h.Store.DB, audit.Entry{Actor: httpx.Principal(c), Action: "export.registrations",
		ObjectType: "event", ObjectID: e.Slug, IP: c.ClientIP(), Details: map[string]any{
			"format": "json", "count": len(page.Items), "after": f.After, "filters": filters,
		}}); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
	return nil
}

package api

import (
	"mime"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorAPI serves the door's JSON API: scans, offline sync, the offline
// bundle, live counts and the desk. Door devices act on their own event;
// staff name the event (?event=slug) and need a grant for it.
type DoorAPI struct {
	Env      *httpx.Env
	Store    *store.Store
	Checkin  *checkin.Service
	Notifier func() notify.Notifier
	Now      func() time.Time
}

// event resolves the event the caller works on: a device's own event, or the
// ?event= slug (or numeric id) a staff member names, if they may work on it.
func (h *DoorAPI) event(c *gin.Context) (store.Event, bool) {
	p := httpx.Principal(c)
	var id int64
	if p.IsDevice() {
		for eid := range p.Events {
			id = eid
		}
		if q := c.Query("event"); q != "" {
			if ev, err := h.lookup(c, q); err != nil || ev.ID != id {
				h.Env.Fail(c, apperr.ErrForbidden)
				return store.Event{}, false
			}
		}
	} else {
		q := c.Query("event")
		if q == "" {
			h.Env.Fail(c, &apperr.Invalid{Fields: map[string]string{"event": "door.error.event"}})
			return store.Event{}, false
		}
		ev, err := h.lookup(c, q)
		if err != nil {
			if p.AtLeast(auth.RoleCoordinator) {
				h.Env.Fail(c, err)
			} else {
				h.Env.Fail(c, apperr.ErrForbidden) // do not reveal which events exist
			}
			return store.Event{}, false
		}
		id = ev.ID
	}
	ev, err := h.Checkin.EventFor(c.Request.Context(), p, id)
	if err != nil {
		h.Env.Fail(c, err)
		return store.Event{}, false
	}
	return ev, true
}

func (h *DoorAPI) lookup(c *gin.Context, q string) (store.Event, error) {
	if n, err := strconv.ParseInt(q, 10, 64); err == nil {
		return h.Store.Event(c.Request.Context(), h.Store.DB, n)
	}
	return h.Store.EventBySlug(c.Request.Context(), h.Store.DB, q)
}

// parseDay reads an optional ISO date.
func parseDay(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, &apperr.Invalid{Fields: map[string]string{"day": "door.error.day"}}
	}
	return &d, nil
}

// bind decodes a JSON body: another content type is a 415, bad JSON a 400.
func bind(c *gin.Context, v any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return apperr.ErrUnsupportedMedia
	}
	if err := c.ShouldBindJSON(v); err != nil {
		return &apperr.Invalid{}
	}
	return nil
}

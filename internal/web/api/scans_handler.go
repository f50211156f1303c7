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
// ?event= slug (or numeric id) a staff member names, if they may work its door.
func (h *DoorAPI) event(c *gin.Context) (store.Event, error) {
	p := httpx.Principal(c)
	ref := c.Query("event")
	var ev store.Event
	var err error
	switch {
	case p.IsDevice():
		// The hot path: the device's event comes from the door's cache.
		for id := range p.Events {
			ev, err = h.Checkin.EventFor(c.Request.Context(), p, id)
		}
		if err == nil && ref != "" && ref != ev.Slug && ref != strconv.FormatInt(ev.ID, 10) {
			err = apperr.ErrForbidden // a device works its own event only
		}
	case ref == "":
		err = &apperr.Invalid{Fields: map[string]string{"event": "door.error.event"}}
	default:
		ev, err = h.Env.Objects.EventRef(c, auth.Work, ref)
	}
	if err != nil {
		return store.Event{}, err
	}
	return ev, nil
}

// eventBody resolves the caller's event, then decodes the JSON body into v.
func (h *DoorAPI) eventBody(c *gin.Context, v any) (store.Event, error) {
	ev, err := h.event(c)
	if err != nil {
		return ev, err
	}
	return ev, bind(c, v)
}

// day reads an optional ISO date; without one it is the event's today.
func (h *DoorAPI) day(ev store.Event, s string) (time.Time, error) {
	d, err := parseDay(s)
	switch {
	case err != nil:
		return time.Time{}, err
	case d == nil:
		return h.Checkin.Today(ev), nil
	}
	return *d, nil
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

// parseScannedAt reads an optional RFC 3339 scan time (zero when absent).
func parseScannedAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, &apperr.Invalid{Fields: map[string]string{"scanned_at": "door.error.scanned_at"}}
	}
	return t, nil
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

package httpx

import (
	"errors"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// Objects loads the objects a request names (an event, a device, a
// delegation, a registration, a project) and asks the one authority,
// auth.Principal.May, whether the caller may act on each. What the caller may
// not act on, and what does not exist, are the same error: not found.
type Objects struct {
	Store *store.Store
	Now   func() time.Time
}

func (o *Objects) check(c *gin.Context, a auth.Action, obj auth.Object) error {
	return Principal(c).Check(a, obj, o.Now())
}

// notFound maps a store miss to the domain's not found.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.ErrNotFound
	}
	return err
}

// Event loads an event by slug.
func (o *Objects) Event(c *gin.Context, a auth.Action, slug string) (store.Event, error) {
	e, err := o.Store.EventBySlug(c.Request.Context(), o.Store.DB, slug)
	if err != nil {
		return e, notFound(err)
	}
	return e, o.check(c, a, auth.EventObject(e))
}

// EventByID loads an event by its number.
func (o *Objects) EventByID(c *gin.Context, a auth.Action, id int64) (store.Event, error) {
	e, err := o.Store.Event(c.Request.Context(), o.Store.DB, id)
	if err != nil {
		return e, notFound(err)
	}
	return e, o.check(c, a, auth.EventObject(e))
}

// EventRef loads an event named by slug or by number, as query parameters do.
func (o *Objects) EventRef(c *gin.Context, a auth.Action, ref string) (store.Event, error) {
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return o.EventByID(c, a, n)
	}
	return o.Event(c, a, ref)
}

// Device loads a door device and its event.
func (o *Objects) Device(c *gin.Context, a auth.Action, id int64) (store.Device, store.Event, error) {
	d, err := o.Store.Device(c.Request.Context(), o.Store.DB, id)
	if err != nil {
		return d, store.Event{}, notFound(err)
	}
	e, err := o.EventByID(c, a, d.EventID)
	return d, e, err
}

// Delegation loads a partner's delegation and its event.
func (o *Objects) Delegation(c *gin.Context, a auth.Action, id int64) (store.Delegation, store.Event, error) {
	ctx := c.Request.Context()
	d, err := o.Store.Delegation(ctx, o.Store.DB, id)
	if err != nil {
		return d, store.Event{}, notFound(err)
	}
	e, err := o.Store.Event(ctx, o.Store.DB, d.EventID)
	if err != nil {
		return d, e, notFound(err)
	}
	return d, e, o.check(c, a, auth.DelegationObject(e, d))
}

// Registration loads a person's registration and its event.
func (o *Objects) Registration(c *gin.Context, a auth.Action, id int64) (store.Registration, store.Event, error) {
	ctx := c.Request.Context()
	r, err := o.Store.Registration(ctx, o.Store.DB, id)
	if err != nil {
		return r, store.Event{}, notFound(err)
	}
	e, err := o.Store.Event(ctx, o.Store.DB, r.EventID)
	if err != nil {
		return r, e, notFound(err)
	}
	return r, e, o.check(c, a, auth.RegistrationObject(e, r))
}

// Project loads a project by code.
func (o *Objects) Project(c *gin.Context, a auth.Action, code string) (store.Project, error) {
	p, err := o.Store.ProjectByCode(c.Request.Context(), o.Store.DB, code)
	if err != nil {
		return p, notFound(err)
	}
	return p, o.check(c, a, auth.ProjectObject(p.ID))
}

// ProjectByID loads a project by its number.
func (o *Objects) ProjectByID(c *gin.Context, a auth.Action, id int64) (store.Project, error) {
	p, err := o.Store.Project(c.Request.Context(), o.Store.DB, id)
	if err != nil {
		return p, notFound(err)
	}
	return p, o.check(c, a, auth.ProjectObject(p.ID))
}

// ID reads a positive numeric path parameter; anything else is not found.
func ID(c *gin.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.ErrNotFound
	}
	return n, nil
}

// RuleSet loads a rule set by code: a project's own copy for that project's
// staff, a preset for every coordinator to read (Read) and administrators.
func (o *Objects) RuleSet(c *gin.Context, a auth.Action, code string) (store.RuleSet, error) {
	rs, err := o.Store.RuleSetByCode(c.Request.Context(), o.Store.DB, code)
	if err != nil {
		return rs, notFound(err)
	}
	return rs, o.check(c, a, auth.RuleSetObject(rs))
}

// Package apperr holds the domain errors that use cases return and the web
// layer maps to HTTP answers in one place.
package apperr

import (
	"errors"
	"sort"
	"strings"

	"github.com/decode-attend/attend/internal/store"
)

// Typed errors. NotFound and Conflict are the store's, so that errors.Is works
// through every layer.
var (
	ErrNotFound     = store.ErrNotFound
	ErrConflict     = store.ErrConflict
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrClosed       = errors.New("closed") // e.g. registration closed
	ErrRateLimited  = errors.New("rate limited")
	ErrTooLarge     = errors.New("too large")
	// ErrUnsupportedMedia: a body in a content type the route does not take.
	ErrUnsupportedMedia = errors.New("unsupported media type")
	// ErrMethodNotAllowed: the path exists, the method does not.
	ErrMethodNotAllowed = errors.New("method not allowed")
)

// Invalid is a validation failure: field name -> message key in the catalogue.
// Conflict marks a failure that is a uniqueness conflict (a slug taken): forms
// show it beside the field like any other, the JSON API answers 409 with the
// field, and errors.Is(err, ErrConflict) holds.
type Invalid struct {
	Fields   map[string]string
	Conflict bool
}

// Taken is the conflict of a value already used: field -> message key.
func Taken(field, key string) *Invalid {
	return &Invalid{Fields: map[string]string{field: key}, Conflict: true}
}

// Is makes a conflict match ErrConflict.
func (e *Invalid) Is(target error) bool { return e.Conflict && target == ErrConflict }

func (e *Invalid) Error() string {
	var fs []string
	for f, k := range e.Fields {
		fs = append(fs, f+": "+k)
	}
	sort.Strings(fs)
	return "invalid input (" + strings.Join(fs, ", ") + ")"
}

// Add records a problem with a field (the first one per field wins).
func (e *Invalid) Add(field, key string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = key
	}
}

// Err returns e when it holds any problem, else nil.
func (e *Invalid) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// AsInvalid extracts a validation error.
func AsInvalid(err error) (*Invalid, bool) {
	var inv *Invalid
	ok := errors.As(err, &inv)
	return inv, ok
}

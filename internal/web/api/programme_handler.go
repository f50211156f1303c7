package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ProgrammeAPI serves the programme (projects, partners, events) as JSON:
// administrators' admin-scope tokens for everything, and coordinators'
// report-scope tokens for what a coordinator may do on screen, within their
// project. Every change goes through setup, the use case the admin screens
// call, so screens and API share one set of rules and audit entries.
type ProgrammeAPI struct {
	Env   *httpx.Env
	Store *store.Store
	Setup *setup.Service
	Now   func() time.Time
}

// optional is a JSON field that may be absent, null or a value: a PATCH
// changes only the fields it names, and null clears a field that may be empty.
type optional[T any] struct {
	Set  bool // named in the body
	Null bool // named as null
	V    T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// str sets *dst to the field's text when the body names it (null: empty).
func (o optional[T]) str(dst *string, format func(T) string) {
	if !o.Set {
		return
	}
	*dst = ""
	if !o.Null {
		*dst = format(o.V)
	}
}

func asIs(s string) string { return s }

// read decodes a JSON request body strictly: JSON only (415), no unknown
// fields (400 naming them, so a typo is not silently ignored), one value. A
// value of the wrong type is a field error (422). When it answered by itself
// it returns false and nil.
func (h *ProgrammeAPI) read(c *gin.Context, v any) (bool, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return false, apperr.ErrUnsupportedMedia
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return false, apperr.ErrTooLarge
		}
		return false, &apperr.Invalid{}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one value")
	}
	if err == nil {
		return true, nil
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) && ute.Field != "" {
		return false, &apperr.Invalid{Fields: map[string]string{ute.Field: "admin.error.json_type"}}
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	out := httpx.APIErrorBody{Code: "malformed_json", Message: l.T("api.error.malformed"), RequestID: httpx.RequestID(c)}
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		name = strings.TrimSuffix(name, `"`)
		out.Code, out.Fields = "unknown_field", map[string]string{name: l.T("admin.error.unknown_field")}
	}
	c.AbortWithStatusJSON(http.StatusBadRequest, httpx.APIError{Error: out})
	return false, nil
}

// jsonFields renames setup's field names (the forms') to the API's: texts per
// language are title.lv, the registration window's ends are spelt out.
func jsonFields(err error) error {
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		return err
	}
	out := &apperr.Invalid{Conflict: inv.Conflict}
	for f, key := range inv.Fields {
		name := f
		for _, kind := range []string{"title", "description", "measure"} {
			if lang, ok := strings.CutPrefix(f, kind+"_"); ok {
				name = kind + "." + lang
			}
		}
		switch f {
		case "opens_at":
			name = "registration_opens_at"
		case "closes_at":
			name = "registration_closes_at"
		case "budget":
			name = "budget_eur"
		case "planned_grant":
			name = "planned_grant_eur"
		}
		out.Add(name, key)
	}
	return out
}

// created answers 201 with the new object and where to find it.
func answerCreated(c *gin.Context, location string, v any) {
	if location != "" {
		c.Header("Location", location)
	}
	c.JSON(http.StatusCreated, v)
}

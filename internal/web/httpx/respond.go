package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// NewPage builds the common template data for a request.
func (e *Env) NewPage(c *gin.Context, title string, data any) Page {
	lang := Lang(c)
	p := Page{
		L: e.I18n.Localizer(lang), Lang: lang, Title: title, CSRF: CSRF(c), RequestID: RequestID(c),
		Path: pathWithoutLang(c.Request.URL.Path), Languages: PageLanguages(c), Data: data,
	}
	if pr := Principal(c); pr != nil && pr.UserID != 0 && pr.TokenID == 0 {
		p.User = pr
	}
	return p
}

// PageLanguages are the languages offered in the language switch: every
// language on public pages, the fully translated ones on staff pages.
func PageLanguages(c *gin.Context) []string {
	if v, ok := c.Get("attend.page_langs"); ok {
		return v.([]string)
	}
	return nil
}

func pathWithoutLang(p string) string {
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 2)
	if len(parts[0]) == 2 {
		if len(parts) == 2 {
			return "/" + parts[1]
		}
		return "/"
	}
	return p
}

// HTML renders a page template with status.
func (e *Env) HTML(c *gin.Context, status int, name string, page Page) {
	body, err := e.Render.Render(name, page)
	if err != nil {
		e.Fail(c, err)
		return
	}
	c.Data(status, "text/html; charset=utf-8", body)
}

// APIError is the JSON error shape of every API route.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody carries a stable code, a localized message and field messages.
type APIErrorBody struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// StatusClientClosed is nginx's 499 "client closed request": the answer to a
// request whose client hung up, which nobody receives. It keeps hang-ups out
// of the 5xx counts.
const StatusClientClosed = 499

// Fail maps an error to an answer: the one place that does so. Details of
// unexpected errors go to the log with the request id, never to the caller.
func (e *Env) Fail(c *gin.Context, err error) {
	ctx := c.Request.Context()
	if store.Cancelled(err) && errors.Is(ctx.Err(), context.Canceled) {
		// The client went away (the server's own time limits end contexts
		// with DeadlineExceeded, not Canceled) and the work stopped with it,
		// as context.Canceled or as PostgreSQL's cancelled statement. Not a
		// server failure; the access log line (status 499) is the only
		// record. (A panic also finds the context cancelled, by the deferred
		// cancel of the limits middleware, and stays a 500.)
		c.AbortWithStatus(StatusClientClosed)
		return
	}
	status, code, key := classify(err)
	l := e.I18n.Localizer(Lang(c))
	if status >= 500 && status != http.StatusServiceUnavailable {
		e.logger().ErrorContext(ctx, "request failed", "request_id", RequestID(c), "route", c.FullPath(), "err", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
		e.logger().WarnContext(ctx, "database unavailable", "request_id", RequestID(c), "route", c.FullPath(), "err", err)
	}
	if IsAPI(c) {
		body := APIErrorBody{Code: code, Message: l.T(key + ".title"), RequestID: RequestID(c)}
		if inv, ok := apperr.AsInvalid(err); ok {
			body.Fields = map[string]string{}
			for f, k := range inv.Fields {
				body.Fields[f] = l.T(k)
			}
		}
		c.AbortWithStatusJSON(status, APIError{Error: body})
		return
	}
	page := e.NewPage(c, l.T(key+".title"), map[string]string{"Key": key, "Code": code})
	body, rerr := e.Render.Render("public/error.html", page)
	if rerr != nil {
		e.logger().ErrorContext(ctx, "render error page", "request_id", RequestID(c), "err", rerr)
		c.AbortWithStatus(status)
		return
	}
	c.Data(status, "text/html; charset=utf-8", body)
	c.Abort()
}

func (e *Env) logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// FailStatus answers with a plain status and its standard page (404, 403, 429...).
func (e *Env) FailStatus(c *gin.Context, status int) {
	var err error
	switch status {
	case http.StatusNotFound:
		err = apperr.ErrNotFound
	case http.StatusForbidden:
		err = apperr.ErrForbidden
	case http.StatusUnauthorized:
		err = apperr.ErrUnauthorized
	case http.StatusTooManyRequests:
		err = apperr.ErrRateLimited
	case http.StatusRequestEntityTooLarge:
		err = apperr.ErrTooLarge
	case http.StatusBadRequest:
		err = &apperr.Invalid{}
	case http.StatusUnsupportedMediaType:
		err = apperr.ErrUnsupportedMedia
	case http.StatusMethodNotAllowed:
		err = apperr.ErrMethodNotAllowed
	default:
		err = errors.New(http.StatusText(status))
	}
	e.Fail(c, err)
}

func classify(err error) (status int, code, key string) {
	var inv *apperr.Invalid
	switch {
	case errors.As(err, &inv) && inv.Conflict:
		return http.StatusConflict, "conflict", "error.bad_request"
	case errors.As(err, &inv):
		if len(inv.Fields) == 0 {
			return http.StatusBadRequest, "bad_request", "error.bad_request"
		}
		return http.StatusUnprocessableEntity, "invalid", "error.bad_request"
	case errors.Is(err, apperr.ErrNotFound):
		return http.StatusNotFound, "not_found", "error.not_found"
	case errors.Is(err, apperr.ErrUnauthorized):
		return http.StatusUnauthorized, "unauthorized", "error.forbidden"
	case errors.Is(err, apperr.ErrForbidden):
		return http.StatusForbidden, "forbidden", "error.forbidden"
	case errors.Is(err, apperr.ErrClosed):
		return http.StatusConflict, "closed", "error.bad_request"
	case errors.Is(err, apperr.ErrConflict):
		return http.StatusConflict, "conflict", "error.bad_request"
	case errors.Is(err, apperr.ErrUnsupportedMedia):
		return http.StatusUnsupportedMediaType, "unsupported_media_type", "error.bad_request"
	case errors.Is(err, apperr.ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed, "method_not_allowed", "error.bad_request"
	case errors.Is(err, apperr.ErrRateLimited):
		return http.StatusTooManyRequests, "rate_limited", "error.too_many"
	case errors.Is(err, apperr.ErrTooLarge) || errors.As(err, new(*http.MaxBytesError)):
		return http.StatusRequestEntityTooLarge, "too_large", "error.too_large"
	case store.Unavailable(err) || errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "unavailable", "error.unavailable"
	}
	return http.StatusInternalServerError, "internal", "error.internal"
}

// SendJSONFile sends v as an indented JSON file download that is never cached
// (personal-data exports).
func SendJSONFile(c *gin.Context, v any, filename string) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

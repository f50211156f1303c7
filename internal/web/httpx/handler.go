package httpx

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
)

// HandlerFunc is a handler that returns its error instead of answering it: the
// route table's Adapt maps every error (HTML page or JSON, by route) in one
// place, Env.Fail, so handlers end in `return err`.
type HandlerFunc func(c *gin.Context) error

// Plain is a handler that answers at the HTTP level by itself (health checks,
// metrics, static files) and so has no error to return.
func Plain(h gin.HandlerFunc) HandlerFunc {
	return func(c *gin.Context) error {
		h(c)
		return nil
	}
}

// Adapt turns h into a gin handler whose errors Env.Fail answers. A handler
// that has already written its answer returns nil.
func (e *Env) Adapt(h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			e.Fail(c, err)
		}
	}
}

// ParseForm reads a posted form: a body over the limit is too large (413),
// anything else unreadable a bad request (400).
func ParseForm(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return apperr.ErrTooLarge
		}
		return &apperr.Invalid{}
	}
	return nil
}

package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// Request deadlines. Every handler passes c.Request.Context() to the store, so
// the deadline also bounds the wait for a pooled connection: a request never
// queues for the database longer than it may live.
const (
	requestTimeout = 15 * time.Second
	// exportTimeout is for routes that build files (exports, signed lists,
	// reports); it stays under the http.Server's WriteTimeout.
	exportTimeout = 110 * time.Second
	// inflightWait is how long a request may wait for a free slot when the
	// server is saturated before it is turned away: long enough to ride out a
	// burst, short enough that clients are told to come back instead of piling up.
	inflightWait = 250 * time.Millisecond
)

// longRoute reports whether a route (gin's FullPath) builds a file and may
// take longer than a normal request.
func longRoute(route string) bool {
	if strings.HasPrefix(route, "/admin/reports/") || strings.HasSuffix(route, "/report") {
		return true // dashboards, participant and scan exports, the report API
	}
	// Sending an event's certificates renders a PDF for each attendee
	// within the request (a 400-person conference: several seconds).
	for _, s := range []string{"/export", ".csv", ".xlsx", ".pdf", "/anonymise", "/erase", "/import", "/certificates/send"} {
		if strings.Contains(route, s) {
			return true
		}
	}
	return false
}

// maxFileBody is the body limit of the routes that take a spreadsheet (the
// imports: a 5,000-row XLSX is about 300 KiB, a CSV of 50,000 rows a few MiB).
const maxFileBody = 10 << 20

// bodyMax is the largest body a route accepts: n, or more for a file upload.
func bodyMax(route string, n int64) int64 {
	if strings.HasSuffix(route, "/imports") || strings.HasSuffix(route, "/import") {
		return maxFileBody
	}
	return n
}

// unlimited routes answer operators' probes; they must work while the
// application is saturated, so they take no slot.
func unlimited(route string) bool {
	return route == "/healthz" || route == "/readyz" || route == "/metrics" || strings.HasPrefix(route, "/assets/")
}

// limits bounds the work the process takes on: at most maxInflight requests
// run at once (others wait briefly, then get 503 with Retry-After rather than
// queueing without end), and each runs under a deadline. Shed requests show
// in attend_http_requests_total with status 503.
func (s *Server) limits(maxInflight int) gin.HandlerFunc {
	if maxInflight <= 0 {
		maxInflight = 256
	}
	slots := make(chan struct{}, maxInflight)
	return func(c *gin.Context) {
		route := c.FullPath()
		if !unlimited(route) {
			select {
			case slots <- struct{}{}:
			default:
				t := time.NewTimer(inflightWait)
				select {
				case slots <- struct{}{}:
					t.Stop()
				case <-t.C:
					overloaded(c)
					return
				case <-c.Request.Context().Done():
					t.Stop()
					c.Abort()
					return
				}
			}
			defer func() { <-slots }()
		}
		d := requestTimeout
		if longRoute(route) {
			d = exportTimeout
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// overloaded answers a request the server has no room for. It is kept cheap
// (no template) because it runs when the process is busiest.
func overloaded(c *gin.Context) {
	c.Header("Retry-After", "1")
	c.Header("Connection", "close")
	refuse(c, http.StatusServiceUnavailable, "overloaded", "The server is busy. Please try again in a moment.")
}

// refuse answers before routing has chosen a language or a page: a JSON
// error on the API, plain text elsewhere.
func refuse(c *gin.Context, status int, code, msg string) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.AbortWithStatusJSON(status, httpx.APIError{Error: httpx.APIErrorBody{Code: code, Message: msg, RequestID: httpx.RequestID(c)}})
		return
	}
	c.Data(status, "text/plain; charset=utf-8", []byte(msg+"\n"))
	c.Abort()
}

package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// requestID gives every request an id, echoed in X-Request-ID and error pages.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		var b [8]byte
		rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		httpx.SetRequestID(c, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// accessLog writes one structured line per request: no query strings (they
// may carry private-link tokens), no bodies, no personal data.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		dur := time.Since(start)
		s.metrics.observe(c.Request.Method, route, c.Writer.Status(), dur)
		if route == "/healthz" || route == "/metrics" || strings.HasPrefix(route, "/assets/") {
			return
		}
		s.log.Info("http",
			"request_id", httpx.RequestID(c), "method", c.Request.Method, "route", route,
			"status", c.Writer.Status(), "duration_ms", float64(dur.Microseconds())/1000,
			"bytes", c.Writer.Size())
	}
}

// recovery turns a panic into a clean 500 page; the stack goes to the log only.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if rec := recover(); rec != nil {
				if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(rec)
				}
				s.log.Error("panic", "request_id", httpx.RequestID(c), "route", c.FullPath(),
					"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					s.env.Fail(c, fmt.Errorf("panic: %v", rec))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// csp allows only our own scripts (no inline script), and WebAssembly for the
// QR decoder of the door scanner.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'"

// securityHeaders wraps the whole engine rather than being a gin middleware:
// gin answers some requests (the trailing-slash redirects) before any
// middleware runs, and those must carry the headers too.
func securityHeaders(next http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// compressAnswers gzips pages and JSON answers of 1 KiB or more for clients
// that accept it. Only those types: assets come precompressed (serveAsset sets
// Content-Encoding, which the wrapper leaves alone), and PDF, XLSX and CSV
// downloads are compressed already or streamed. HEAD is never compressed
// (gzhttp's rule), so its Content-Length is the plain one. A compressed answer's
// ETag gets "-gzip" so that it differs from the plain one's (RFC 9110 8.8.3).
func compressAnswers() (func(http.Handler) http.HandlerFunc, error) {
	return gzhttp.NewWrapper(
		gzhttp.MinSize(1024),
		gzhttp.ContentTypes([]string{"text/html", "application/json"}),
		gzhttp.SuffixETag("-gzip"),
	)
}

const langCookie = "attend_lang"

// language picks the language among those offered: the /xx/ prefix, then the
// browser's last choice (cookie: a language link, the sign-in page), then the
// signed-in user's account setting, then Accept-Language. Staff pages offer
// the languages whose staff screens are complete (i18n.FullLanguages).
func (s *Server) language(offered []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := ""
		if p := c.Param("lang"); p != "" {
			if !slices.Contains(offered, p) {
				s.env.FailStatus(c, http.StatusNotFound)
				return
			}
			lang = p
			if ck, _ := c.Cookie(langCookie); ck != p {
				c.SetSameSite(http.SameSiteLaxMode)
				c.SetCookie(langCookie, p, 365*24*3600, "/", "", s.secureCookies, true)
			}
		}
		if lang == "" {
			if ck, err := c.Cookie(langCookie); err == nil && slices.Contains(offered, ck) {
				lang = ck
			}
		}
		if lang == "" {
			if pr := httpx.Principal(c); pr != nil && slices.Contains(offered, pr.Language) {
				lang = pr.Language
			}
		}
		if lang == "" {
			lang = s.i18n.Match(c.GetHeader("Accept-Language"))
			if !slices.Contains(offered, lang) {
				lang = i18n.Fallback
			}
		}
		httpx.SetLang(c, lang)
		c.Set("attend.page_langs", offered)
		c.Header("Content-Language", lang)
		c.Next()
	}
}

const csrfCookie = "attend_csrf"

// csrf protects state-changing browser requests with a double-submit token:
// the session's token for signed-in users, a random cookie for visitors.
func (s *Server) csrf() gin.HandlerFunc {
	return func(c *gin.Context) {
		token := ""
		if p := httpx.Principal(c); p != nil && p.CSRFToken != "" {
			token = p.CSRFToken
		} else if ck, err := c.Cookie(csrfCookie); err == nil && len(ck) == 32 {
			token = ck
		} else {
			var b [16]byte
			rand.Read(b[:])
			token = hex.EncodeToString(b[:])
			c.SetSameSite(http.SameSiteLaxMode)
			c.SetCookie(csrfCookie, token, 0, "/", "", s.secureCookies, true)
		}
		httpx.SetCSRF(c, token)
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		sent := c.GetHeader("X-CSRF-Token")
		if sent == "" {
			// A body cut off by bodyLimit (sent without a Content-Length)
			// is too large, not forged.
			if err := c.Request.ParseForm(); errors.As(err, new(*http.MaxBytesError)) {
				s.env.Fail(c, err)
				return
			}
			sent = c.PostForm("csrf_token")
		}
		if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			s.env.Fail(c, apperr.ErrForbidden)
			return
		}
		c.Next()
	}
}

// authenticate loads the caller from a bearer token or the session cookie.
// An invalid bearer token is refused at once; a stale cookie is ignored.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.env.Fail(c, apperr.ErrUnauthorized)
				return
			}
			bearer := s.auth.Bearer
			if c.Request.Method == http.MethodPost && c.FullPath() == "/api/v1/scans" {
				// The scan statement checks a known device's token itself,
				// in the scan's one round trip (checkin.Service.Scan).
				bearer = s.auth.ScanBearer
			}
			p, err := bearer(ctx, strings.TrimSpace(token))
			if err != nil {
				s.env.Fail(c, err)
				return
			}
			httpx.SetPrincipal(c, p)
			c.Next()
			return
		}
		if ck, err := c.Cookie(auth.SessionCookie); err == nil && ck != "" {
			p, err := s.auth.Session(ctx, ck)
			switch {
			case err == nil:
				httpx.SetPrincipal(c, p)
			case !errors.Is(err, apperr.ErrUnauthorized):
				s.env.Fail(c, err)
				return
			}
		}
		c.Next()
	}
}

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// bodyLimit caps request bodies (n, or the route's own limit, bodyMax): reading past it fails with an
// *http.MaxBytesError, which Env.Fail answers with 413. Bodies announced as
// larger are refused by tooLarge once the language is known.
func bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, bodyMax(c.FullPath(), n))
		c.Next()
	}
}

// tooLarge refuses a body whose Content-Length is over n before anything
// reads it, with the localized error page or the JSON error.
func (s *Server) tooLarge(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > bodyMax(c.FullPath(), n) {
			c.Header("Connection", "close")
			s.env.Fail(c, apperr.ErrTooLarge)
			return
		}
		c.Next()
	}
}

// cacheControl marks dynamic pages as private and uncached.
func noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}

var _ = strconv.Itoa

// Package web is the HTTP layer: the route table (router.go), middleware, and
// the handler areas under it. Nothing below this package imports gin.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/decode-attend/attend/assets"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/config"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/services"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/templates"
)

// Deps are what the HTTP layer is given: the configuration and the services
// that cmd/attend built once (services.New).
type Deps struct {
	Config     *config.Config
	Store      *store.Store
	I18n       *i18n.Bundle
	Log        *slog.Logger
	Version    string
	Migrations []store.Migration
	Services   *services.Set
}

// Server is the configured HTTP application.
type Server struct {
	Deps
	log           *slog.Logger
	i18n          *i18n.Bundle
	auth          *auth.Service
	env           *httpx.Env
	assets        *httpx.AssetTable
	encoded       assetEncodings // compressed variants of the assets, made on first request
	metrics       *metrics
	engine        *gin.Engine
	handler       http.Handler // engine behind the security headers
	secureCookies bool
	table         []Route
}

// New builds the server and its route table.
func New(d Deps) (*Server, error) {
	if d.Services == nil {
		return nil, errors.New("web: no services")
	}
	static, err := fs.Sub(assets.FS, "static")
	if err != nil {
		return nil, err
	}
	at, err := httpx.NewAssetTable(static)
	if err != nil {
		return nil, err
	}
	r, err := httpx.NewRenderer(templates.FS, at)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Deps: d, log: d.Log, i18n: d.I18n, auth: d.Services.Auth, assets: at, metrics: newMetrics(),
		env:           &httpx.Env{Render: r, I18n: d.I18n, Log: d.Log, Objects: &httpx.Objects{Store: d.Store, Now: d.Services.Now}},
		secureCookies: strings.HasPrefix(d.Config.BaseURL, "https://"),
	}
	s.metrics.watch(d.Store)
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = true
	// Handlers pass c.Request.Context() to the store: a pooled gin.Context must
	// never outlive its request inside database/sql goroutines.
	e.ContextWithFallback = false
	if err := e.SetTrustedProxies(d.Config.TrustedProxy); err != nil {
		return nil, fmt.Errorf("ATTEND_TRUSTED_PROXIES: %w", err)
	}
	e.Use(requestID(), s.accessLog(), s.recovery(), s.limits(d.Config.MaxInflight), bodyLimit(maxBody))
	e.NoRoute(s.authenticate(), s.language(i18n.Languages), func(c *gin.Context) { s.env.FailStatus(c, http.StatusNotFound) })
	e.NoMethod(s.language(i18n.Languages), func(c *gin.Context) { s.env.FailStatus(c, http.StatusMethodNotAllowed) })
	s.engine = e
	gz, err := compressAnswers()
	if err != nil {
		return nil, err
	}
	s.handler = securityHeaders(gz(e), s.secureCookies)
	s.table = s.routes()
	for _, rt := range s.table {
		if rt.Access == 0 {
			return nil, fmt.Errorf("route %s %s declares no access level", rt.Method, rt.Path)
		}
		// The input guard runs last, next to the handler, so that every
		// route has it and refusals come localized (language is known).
		if rt.Handler == nil {
			return nil, fmt.Errorf("route %s %s has no handler", rt.Method, rt.Path)
		}
		hs := append(s.chain(rt.Access), s.input(), s.env.Adapt(rt.Handler))
		e.Handle(rt.Method, rt.Path, hs...)
		// Every GET answers HEAD (RFC 9110) with the same status and
		// headers: uptime monitors and mail link checkers use it. The same
		// handler runs; net/http sends no body for HEAD.
		if rt.Method == http.MethodGet {
			head := append([]gin.HandlerFunc{headOnly}, hs...)
			e.Handle(http.MethodHead, rt.Path, head...)
		}
	}
	return s, nil
}

// Handler is the root http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns the route table (for the access-matrix test and docs).
func (s *Server) Routes() []Route { return s.table }

// Env exposes rendering and error mapping to tests.
func (s *Server) Env() *httpx.Env { return s.env }

// metricsHandler serves Prometheus metrics from the server's registry.
func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

// HTTPServer returns an http.Server with the timeouts and header limits that
// keep slow or hostile clients from holding the process.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.Config.Addr,
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second, // long exports stream
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Listen opens the configured address, so that a taken port is reported
// before anything else starts.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			return nil, fmt.Errorf("ATTEND_ADDR: cannot listen on %s: %v", addr, opErr.Err)
		}
		return nil, fmt.Errorf("ATTEND_ADDR: cannot listen on %s: %v", addr, err)
	}
	return ln, nil
}

// Serve runs until ctx is cancelled, then lets in-flight requests finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.HTTPServer()
	errc := make(chan error, 1)
	go func() {
		var err error
		switch {
		case s.Config.TLSCert != "":
			err = srv.ServeTLS(ln, s.Config.TLSCert, s.Config.TLSKey)
		case len(s.Config.ACMEHosts) > 0:
			srv.TLSConfig = s.acmeTLS()
			err = srv.ServeTLS(ln, "", "")
		default:
			err = srv.Serve(ln)
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), s.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// headOnly marks a HEAD request's context: the GET handler runs for status
// and headers, but no personal data leaves, so no read is audited.
func headOnly(c *gin.Context) {
	c.Request = c.Request.WithContext(audit.HeadOnly(c.Request.Context()))
	c.Next()
}

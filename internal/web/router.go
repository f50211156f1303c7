package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/api"
	"github.com/decode-attend/attend/internal/web/ops"
	"github.com/decode-attend/attend/internal/web/public"
)

// Route is one row of the route table.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Handler gin.HandlerFunc
}

// routes is the route table: every route the application serves, with who may
// call it. Reading this function answers "who may call what".
func (s *Server) routes() []Route {
	pub := &public.Handler{Env: s.env, Store: s.Store, Now: s.Now}
	apiH := &api.Handler{Env: s.env, Store: s.Store, Now: s.Now, BaseURL: s.Config.BaseURL, Version: s.Version}
	opsH := &ops.Handler{Store: s.Store, Migrations: s.Migrations, Version: s.Version}

	// Handlers of each area (keep one line per area, in the area's block below).
	// [registration handlers]
	// [tickets-mail handlers]
	// [door handlers]
	// [reports handlers]
	// [accounts-admin handlers]
	// [privacy handlers]

	const GET, POST, PUT, DELETE = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	_, _, _ = POST, PUT, DELETE
	return []Route{
		// Operations.
		{GET, "/healthz", Ops, opsH.Healthz},
		{GET, "/readyz", Ops, opsH.Readyz},
		{GET, "/metrics", Ops, s.metricsHandler()},
		{GET, "/assets/:hash/*path", Ops, s.serveAsset},
		{GET, "/favicon.ico", Ops, s.favicon},

		// Public pages, in the visitor's language (/:lang/ prefix, cookie, Accept-Language).
		{GET, "/", Anyone, pub.Home},
		{GET, "/:lang/", Anyone, pub.Home},

		// Public JSON API.
		{GET, "/api/v1/events", AnyoneAPI, apiH.EventsList},
		{GET, "/api/v1/openapi.json", AnyoneAPI, apiH.OpenAPI},

		// [registration routes]: event pages, registration, confirmation, self-service, delegations.

		// [tickets-mail routes]: ticket page, PDF ticket, outbox and development mail pages.

		// [door routes]: pairing, scanner, desk, scan API, live counts, devices.

		// [reports routes]: dashboards, exports, signed lists, report API.

		// [accounts-admin routes]: sign-in, admin screens, users, tokens, audit log.

		// [privacy routes]: notices, access export, erasure, retention.
	}
}

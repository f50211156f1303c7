package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Access is who may call a route. Every route in the table names one.
type Access int

// Access levels. HTML staff pages need a signed-in session; API routes take a
// bearer token with the right scope or a session of a user with the role.
const (
	_           Access = iota
	Anyone             // public pages and forms (CSRF on unsafe methods)
	AnyoneAPI          // public JSON API
	Ops                // health, readiness, metrics
	Door               // door staff pages: door staff, coordinators, admins
	Partner            // partner coordinators (their delegation), coordinators, admins
	Coordinator        // coordinators and admins
	Admin              // administrators only
	ScanAPI            // scan scope token (door device or user), or a door staff session
	PartnerAPI         // partner coordinators and above, by session
	ReportAPI          // report or admin scope token of a coordinator/admin, or their session
	AdminAPI           // admin scope token of an admin, or an admin session
	Staff              // any signed-in user, for their own account pages
)

var accessNames = map[Access]string{
	Anyone: "anyone", AnyoneAPI: "anyone-api", Ops: "ops", Door: "door", Partner: "partner",
	Coordinator: "coordinator", Admin: "admin", ScanAPI: "scan-api", PartnerAPI: "partner-api",
	ReportAPI: "report-api", AdminAPI: "admin-api", Staff: "staff",
}

func (a Access) String() string { return accessNames[a] }

// IsAPI reports whether the route answers in JSON.
func (a Access) IsAPI() bool {
	switch a {
	case AnyoneAPI, ScanAPI, PartnerAPI, ReportAPI, AdminAPI:
		return true
	}
	return false
}

// Allows decides whether p may call a route with this access level. Event
// scoping (door staff of event A at event B) is checked by the handlers.
func (a Access) Allows(p *auth.Principal) error {
	switch a {
	case Anyone, AnyoneAPI, Ops:
		return nil
	}
	if p == nil {
		return apperr.ErrUnauthorized
	}
	session := p.TokenID == 0
	ok := false
	switch a {
	case Door:
		ok = session && p.AtLeast(auth.RoleDoor)
	case Partner:
		ok = session && (p.Role == auth.RolePartner || p.AtLeast(auth.RoleCoordinator))
	case Coordinator:
		ok = session && p.AtLeast(auth.RoleCoordinator)
	case Admin:
		ok = session && p.Role == auth.RoleAdmin
	case Staff:
		ok = session && p.UserID != 0
	case ScanAPI:
		if session {
			ok = p.AtLeast(auth.RoleDoor)
		} else {
			ok = p.HasScope(auth.ScopeScan) && (p.IsDevice() || p.AtLeast(auth.RoleDoor))
		}
	case PartnerAPI:
		ok = session && (p.Role == auth.RolePartner || p.AtLeast(auth.RoleCoordinator))
	case ReportAPI:
		if session {
			ok = p.AtLeast(auth.RoleCoordinator)
		} else {
			ok = (p.HasScope(auth.ScopeReport) || p.HasScope(auth.ScopeAdmin)) && !p.IsDevice() && p.AtLeast(auth.RoleCoordinator)
		}
	case AdminAPI:
		if session {
			ok = p.Role == auth.RoleAdmin
		} else {
			ok = p.HasScope(auth.ScopeAdmin) && p.Role == auth.RoleAdmin
		}
	}
	if !ok {
		return apperr.ErrForbidden
	}
	return nil
}

// guard enforces the route's access level. Anonymous visitors of staff pages
// are sent to sign in and brought back afterwards.
func (s *Server) guard(a Access) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := a.Allows(httpx.Principal(c))
		if err == nil {
			c.Next()
			return
		}
		if err == apperr.ErrUnauthorized && !a.IsAPI() && (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) {
			c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		s.env.Fail(c, err)
	}
}

// chain builds the middleware for an access level.
func (s *Server) chain(a Access) []gin.HandlerFunc {
	switch a {
	case Ops:
		return nil
	case Anyone:
		return []gin.HandlerFunc{s.authenticate(), s.language(i18n.Languages), s.tooLarge(maxBody), s.csrf()}
	case AnyoneAPI:
		return []gin.HandlerFunc{markAPI, s.authenticate(), s.language(i18n.Languages), s.tooLarge(maxBody)}
	case Door, Partner, Staff:
		// The door, the partner coordinator's pages and one's own account
		// are translated into every language.
		return []gin.HandlerFunc{noStore(), s.authenticate(), s.language(i18n.Languages), s.tooLarge(maxBody), s.guard(a), s.csrf()}
	case Coordinator, Admin:
		return []gin.HandlerFunc{noStore(), s.authenticate(), s.language(i18n.FullLanguages), s.tooLarge(maxBody), s.guard(a), s.csrf()}
	case ScanAPI, PartnerAPI:
		return []gin.HandlerFunc{markAPI, noStore(), s.authenticate(), s.language(i18n.Languages), s.tooLarge(maxBody), s.guard(a), s.apiCSRF()}
	default: // staff API
		return []gin.HandlerFunc{markAPI, noStore(), s.authenticate(), s.language(i18n.FullLanguages), s.tooLarge(maxBody), s.guard(a), s.apiCSRF()}
	}
}

func markAPI(c *gin.Context) { httpx.MarkAPI(c); c.Next() }

// apiCSRF applies CSRF only to session-authenticated API calls (our own
// pages' scripts); bearer-token callers are not exposed to cross-site forgery.
func (s *Server) apiCSRF() gin.HandlerFunc {
	check := s.csrf()
	return func(c *gin.Context) {
		if p := httpx.Principal(c); p != nil && p.TokenID == 0 {
			check(c)
			return
		}
		c.Next()
	}
}

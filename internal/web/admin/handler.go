// Package admin serves the staff screens under /admin/: the dashboard,
// projects and partners, events and their days, registrations, users with
// their event grants and API tokens, rule sets and the audit log. Handlers
// read through the store and change through the use cases; who may call each
// route is in the route table.
package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/results"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what the admin screens need.
type Handler struct {
	Env           *httpx.Env
	Store         *store.Store
	Accounts      *account.Service
	Manage        *setup.Service
	Registrations *registration.Service
	Checkin       *checkin.Service
	Headers       *registration.Headers // the import's column names
	Certificates  *certificates.Service
	Results       *results.Service
	Now           func() time.Time
}

// form is the data of a page with a form: values to show again, field
// errors (catalogue keys), a notice, and the page's own data.
type form struct {
	Values  map[string]string
	Errors  map[string]string
	Message string
	Kind    string // success | error
	Data    any
}

func newForm(data any) *form {
	return &form{Values: map[string]string{}, Errors: map[string]string{}, Data: data}
}

// fail puts a validation error on the form and reports whether it did.
func (f *form) fail(err error) bool {
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		return false
	}
	for k, v := range inv.Fields {
		f.Errors[k] = v
	}
	f.Message, f.Kind = "admin.form.errors", "error"
	return true
}

// done shows the notice named by ?done= after a redirect.
func (f *form) done(c *gin.Context) *form {
	if d := c.Query("done"); d != "" && len(d) < 40 {
		f.Message, f.Kind = "admin.done."+d, "success"
	}
	return f
}

func (h *Handler) l(c *gin.Context) *i18n.Localizer { return h.Env.I18n.Localizer(httpx.Lang(c)) }

func (h *Handler) render(c *gin.Context, status int, page, titleKey string, f *form) {
	p := h.Env.NewPage(c, h.l(c).T(titleKey), f)
	p.BodyClass = "admin admin-" + page
	h.Env.HTML(c, status, "admin/"+page+".html", p)
}

// projectScope is the project a coordinator is limited to (0: every project).
func projectScope(p *auth.Principal) int64 { return p.ProjectScope() }

// event finds an event by slug that the caller may manage.
func (h *Handler) event(c *gin.Context) (store.Event, error) {
	return h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
}

// events lists the events the caller may manage.
func (h *Handler) events(c *gin.Context) ([]store.Event, error) {
	all, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return nil, err
	}
	p := httpx.Principal(c)
	var out []store.Event
	for _, e := range all {
		if p.May(auth.Manage, auth.EventObject(e), h.Now()) {
			out = append(out, e)
		}
	}
	return out, nil
}

// title is the title key of a form page: newKey for a new object's, editKey
// for an existing one's.
func title(isNew bool, newKey, editKey string) string {
	if isNew {
		return newKey
	}
	return editKey
}

// redirect answers a successful POST (post/redirect/get).
func redirect(c *gin.Context, to string) { c.Redirect(http.StatusSeeOther, to) }

// finish ends a form POST on the outcome of its change, err: a validation
// error shows the form again with its messages (again, given the form with
// them), any other error is the caller's answer, and success redirects to
// `to`.
func finish(c *gin.Context, err error, to string, again func(f *form) error) error {
	if f := newForm(nil); f.fail(err) {
		return again(f)
	}
	if err != nil {
		return err
	}
	redirect(c, to)
	return nil
}

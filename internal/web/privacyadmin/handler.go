// Package privacyadmin serves the administrators' privacy screens: retention
// per project, anonymising a project, erasing a person, the access export
// and the privacy notice versions.
package privacyadmin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what the privacy screens need.
type Handler struct {
	Env     *httpx.Env
	Store   *store.Store
	Privacy *privacy.Service
	Now     func() time.Time
}

func (h *Handler) actor(c *gin.Context) privacy.Actor {
	return privacy.Actor{Principal: httpx.Principal(c), IP: c.ClientIP()}
}

// project loads the project the path's code names, under the access rule.
func (h *Handler) project(c *gin.Context) (store.Project, error) {
	return h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
}

func (h *Handler) render(c *gin.Context, status int, name, titleKey string, data any) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, status, name, h.Env.NewPage(c, l.T(titleKey), data))
}

// formError answers a failed request from the privacy page's forms: invalid
// input shows the page again with its field messages (and the address typed),
// any other error is returned for the error page.
func (h *Handler) formError(c *gin.Context, err error, email string) error {
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.index(c, http.StatusUnprocessableEntity, "", inv.Fields, email)
	}
	return err
}

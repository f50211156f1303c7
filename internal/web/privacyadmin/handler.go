// Package privacyadmin serves the administrators' privacy screens: retention
// per project, anonymising a project, erasing a person, the access export
// and the privacy notice versions.
package privacyadmin

import (
	"time"

	"github.com/gin-gonic/gin"

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

func (h *Handler) render(c *gin.Context, status int, name, titleKey string, data any) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, status, name, h.Env.NewPage(c, l.T(titleKey), data))
}

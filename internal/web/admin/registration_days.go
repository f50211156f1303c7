package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationDays changes the days a registration covers.
func (h *Handler) RegistrationDays(c *gin.Context) error {
	r, e, err := h.registration(c)
	if err != nil {
		return err
	}
	days := c.PostFormArray("days")
	if days == nil {
		days = []string{}
	}
	_, err = h.Registrations.ChangeDays(c.Request.Context(), r.ID, days, httpx.Principal(c))
	return finish(c, err, regURL(r)+"?done=saved", func(f *form) error {
		return h.registrationPage(c, http.StatusUnprocessableEntity, r, e, f, nil)
	})
}

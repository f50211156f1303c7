package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationDays changes the days a registration covers.
func (h *Handler) RegistrationDays(c *gin.Context) {
	r, e, err := h.registration(c)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	days := c.PostFormArray("days")
	if days == nil {
		days = []string{}
	}
	_, err = h.Registrations.ChangeDays(c.Request.Context(), r.ID, days, httpx.Principal(c))
	if f := newForm(nil); f.fail(err) {
		h.registrationPage(c, http.StatusUnprocessableEntity, r, e, f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, regURL(r)+"?done=saved")
}

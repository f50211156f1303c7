package privacyadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
)

type eraseData struct {
	Email         string
	Registrations []privacy.PersonRegistration
}

// EraseConfirm lists what erasing the person would touch and asks to confirm.
func (h *Handler) EraseConfirm(c *gin.Context) {
	email := c.PostForm("email")
	rs, err := h.Privacy.ErasePreview(c.Request.Context(), email)
	if inv, ok := apperr.AsInvalid(err); ok {
		h.index(c, http.StatusUnprocessableEntity, "", inv.Fields, email)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "privacy/erase.html", "privacy.erase.title", eraseData{Email: email, Registrations: rs})
}

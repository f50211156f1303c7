package privacyadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/privacy"
)

type eraseData struct {
	Email         string
	Registrations []privacy.PersonRegistration
}

// EraseConfirm lists what erasing the person would touch and asks to confirm.
func (h *Handler) EraseConfirm(c *gin.Context) error {
	email := c.PostForm("email")
	rs, err := h.Privacy.ErasePreview(c.Request.Context(), email)
	if err != nil {
		return h.formError(c, err, email)
	}
	h.render(c, http.StatusOK, "privacy/erase.html", "privacy.erase.title", eraseData{Email: email, Registrations: rs})
	return nil
}

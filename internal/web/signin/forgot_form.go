package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ForgotForm asks for the address to send a reset link to.
func (h *Handler) ForgotForm(c *gin.Context) error {
	h.render(c, http.StatusOK, "forgot", "account.reset.request_title", newForm())
	return nil
}

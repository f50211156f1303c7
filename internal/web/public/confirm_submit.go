package public

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ConfirmSubmit is the button of the confirmation page: the person confirms,
// and goes back to the page, which now shows the outcome (a reload does not
// post again). An expired link leads back to the page too, which offers a
// new one.
func (h *Handler) ConfirmSubmit(c *gin.Context) error {
	token := c.Param("token")
	if _, err := h.Reg.Confirm(c.Request.Context(), token); err != nil && !errors.Is(err, registration.ErrExpired) {
		return err
	}
	c.Redirect(http.StatusSeeOther, confirmPath(httpx.Lang(c), token))
	return nil
}

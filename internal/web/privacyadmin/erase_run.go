package privacyadmin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/privacy"
)

// EraseRun erases the person once the administrator has ticked the confirmation.
func (h *Handler) EraseRun(c *gin.Context) error {
	email := c.PostForm("email")
	if c.PostForm("confirm") != "yes" {
		return h.EraseConfirm(c)
	}
	_, err := h.Privacy.Erase(c.Request.Context(), email, h.actor(c))
	if errors.Is(err, privacy.ErrNothingHeld) {
		return h.index(c, http.StatusOK, "nothing", nil, "")
	}
	if err != nil {
		return h.formError(c, err, email)
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy?done=erased")
	return nil
}

package privacyadmin

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
)

// EraseRun erases the person once the administrator has ticked the confirmation.
func (h *Handler) EraseRun(c *gin.Context) {
	email := c.PostForm("email")
	if c.PostForm("confirm") != "yes" {
		h.EraseConfirm(c)
		return
	}
	_, err := h.Privacy.Erase(c.Request.Context(), email, h.actor(c))
	if inv, ok := apperr.AsInvalid(err); ok {
		h.index(c, http.StatusUnprocessableEntity, "", inv.Fields, email)
		return
	}
	if errors.Is(err, privacy.ErrNothingHeld) {
		h.index(c, http.StatusOK, "nothing", nil, "")
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy?done=erased")
}

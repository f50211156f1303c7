package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// SignoutEverywhere ends every session of the account, this one included.
func (h *Handler) SignoutEverywhere(c *gin.Context) error {
	if err := h.Accounts.SignOutEverywhere(c.Request.Context(), httpx.Principal(c), c.ClientIP()); err != nil {
		return err
	}
	h.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/signin?done=signedout")
	return nil
}

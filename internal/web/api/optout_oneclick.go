package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/messages"
)

// OptOutAPI is the one-click opt-out of the List-Unsubscribe header.
type OptOutAPI struct {
	Messages *messages.Service
}

// OptOutOneClick answers POST /api/v1/optout/{id}/{token} (RFC 8058: the
// mail program posts List-Unsubscribe=One-Click): the signed link is the
// authority, 200 when done, 404 for a wrong link.
func (h *OptOutAPI) OptOutOneClick(c *gin.Context) error {
	r, err := h.Messages.VerifyOptOut(c.Request.Context(), c.Param("id"), c.Param("token"))
	if err != nil {
		return err
	}
	if err := h.Messages.OptOut(c.Request.Context(), r, c.ClientIP()); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"opted_out": true})
	return nil
}

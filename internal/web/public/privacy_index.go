package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PrivacyIndex is the footer's privacy link: the notice of the only project,
// or the first project's when several run on one installation (their event
// pages link their own notices).
func (h *PrivacyHandler) PrivacyIndex(c *gin.Context) error {
	ps, err := h.Store.Projects(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return apperr.ErrNotFound
	}
	c.Redirect(http.StatusFound, "/"+httpx.Lang(c)+"/privacy/"+ps[0].Code)
	return nil
}

package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// TokensList lists every API token (users' and door devices'), live first.
func (h *Handler) TokensList(c *gin.Context) error {
	ts, err := h.Store.TokenViews(c.Request.Context(), h.Store.DB, 0)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "tokens", "admin.tokens.title", newForm(ts).done(c))
	return nil
}

package privacyadmin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
)

type indexData struct {
	Projects []store.Retention
	Flash    string
	Errors   map[string]string
	Email    string
}

// Index shows retention per project and the forms for a person's requests.
func (h *Handler) Index(c *gin.Context) error {
	return h.index(c, http.StatusOK, c.Query("done"), nil, "")
}

func (h *Handler) index(c *gin.Context, status int, flash string, errs map[string]string, email string) error {
	rs, err := h.Store.Retentions(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	h.render(c, status, "privacy/admin.html", "privacy.admin.title", indexData{Projects: rs, Flash: flash, Errors: errs, Email: email})
	return nil
}

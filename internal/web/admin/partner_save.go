package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// PartnerSave saves a partner.
func (h *Handler) PartnerSave(c *gin.Context) error {
	p, err := h.partner(c)
	if err != nil {
		return err
	}
	in := partnerInput(c)
	err = h.Manage.UpdatePartner(c.Request.Context(), httpx.Principal(c), p.ID, in, c.ClientIP())
	return finish(c, err, "/admin/projects/"+strconv.FormatInt(p.ProjectID, 10)+"?done=saved", func(f *form) error {
		f.Data = partnerForm{Partner: p, Input: in, Cities: cityFields(p, in)}
		h.render(c, http.StatusUnprocessableEntity, "partner", "admin.partner.title", f)
		return nil
	})
}

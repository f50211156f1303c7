package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// PartnerSave saves a partner.
func (h *Handler) PartnerSave(c *gin.Context) {
	pid, err := id(c, "id")
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	p, err := h.Store.Partner(c.Request.Context(), h.Store.DB, pid)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	in := partnerInput(c)
	err = h.Manage.UpdatePartner(c.Request.Context(), httpx.Principal(c), pid, in, c.ClientIP())
	if f := newForm(partnerForm{Partner: p, Input: in}); f.fail(err) {
		h.render(c, http.StatusUnprocessableEntity, "partner", "admin.partner.title", f)
		return
	}
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	redirect(c, "/admin/projects/"+strconv.FormatInt(p.ProjectID, 10)+"?done=saved")
}

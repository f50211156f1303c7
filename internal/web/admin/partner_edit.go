package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/manage"
	"github.com/decode-attend/attend/internal/store"
)

type partnerForm struct {
	Partner store.Partner
	Input   manage.PartnerInput
}

// PartnerEdit shows a partner's form.
func (h *Handler) PartnerEdit(c *gin.Context) {
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
	in := manage.PartnerInput{Slug: p.Slug, Organisation: p.Organisation, City: p.City, Country: p.Country,
		Position: strconv.Itoa(p.Position)}
	h.render(c, http.StatusOK, "partner", "admin.partner.title", newForm(partnerForm{Partner: p, Input: in}))
}

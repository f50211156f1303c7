package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PartnerCreate adds a partner to a project.
func (h *Handler) PartnerCreate(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	in := partnerInput(c)
	_, err = h.Manage.CreatePartner(c.Request.Context(), httpx.Principal(c), p.ID, in, c.ClientIP())
	return finish(c, err, "/admin/projects/"+strconv.FormatInt(p.ID, 10)+"?done=partner_added", func(f *form) error {
		return h.projectForm(c, http.StatusUnprocessableEntity, projectForm{Project: p, Input: setup.ProjectInputOf(p), Partner: in}, f)
	})
}

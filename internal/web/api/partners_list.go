package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// PartnersList answers GET /api/v1/projects/{code}/partners, lead partner first.
func (h *ProgrammeAPI) PartnersList(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	ps, err := h.Store.Partners(c.Request.Context(), h.Store.DB, p.ID)
	if err != nil {
		return err
	}
	out := make([]ProgrammePartner, 0, len(ps))
	for _, pt := range ps {
		out = append(out, partnerJSON(pt))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

package api

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PartnerCreate answers POST /api/v1/projects/{code}/partners: 201 with the
// partner, 422 with field messages, 409 when the project has the slug.
func (h *ProgrammeAPI) PartnerCreate(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	var b partnerBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	var in setup.PartnerInput
	b.apply(&in)
	pt, err := h.Setup.CreatePartner(c.Request.Context(), httpx.Principal(c), p.ID, in, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	answerCreated(c, "", partnerJSON(pt))
	return nil
}

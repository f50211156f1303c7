package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// PartnerUpdate answers PATCH /api/v1/projects/{code}/partners/{slug}: the
// fields the body names change; 200 with the partner.
func (h *ProgrammeAPI) PartnerUpdate(c *gin.Context) error {
	p, err := h.Env.Objects.Project(c, auth.Manage, c.Param("code"))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	pt, err := h.Store.PartnerBySlug(ctx, h.Store.DB, p.ID, c.Param("slug"))
	if errors.Is(err, store.ErrNotFound) {
		return apperr.ErrNotFound
	}
	if err != nil {
		return err
	}
	var b partnerBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	in := setup.PartnerInputOf(pt)
	b.apply(&in)
	if err := h.Setup.UpdatePartner(ctx, httpx.Principal(c), pt.ID, in, c.ClientIP()); err != nil {
		return jsonFields(err)
	}
	if pt, err = h.Store.Partner(ctx, h.Store.DB, pt.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, partnerJSON(pt))
	return nil
}

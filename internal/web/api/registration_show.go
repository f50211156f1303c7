package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationShow answers GET /api/v1/registrations/{id}; the read is audited.
func (h *StaffRegistrationsAPI) RegistrationShow(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	if _, _, err := h.Env.Objects.Registration(c, auth.Manage, id); err != nil {
		return err
	}
	it, err := h.item(c, id)
	if err != nil {
		return err
	}
	if err := audit.Log(c.Request.Context(), h.Store, h.Store.DB, audit.Entry{Actor: httpx.Principal(c),
		Action: "export.registration", ObjectType: "registration", ObjectID: id, IP: c.ClientIP(),
		Details: map[string]any{"format": "json"}}); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, it)
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
)

// CertificateSettingsShow answers GET /api/v1/events/{slug}/certificate-settings.
func (h *CertificatesAPI) CertificateSettingsShow(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	cs, err := h.Store.EventCertificateSettings(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, settingsJSON(cs))
	return nil
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// CertificateSettingsUpdate answers PATCH /api/v1/events/{slug}/certificate-settings:
// the fields the body names change (null clears a text); 200 with the settings.
func (h *CertificatesAPI) CertificateSettingsUpdate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	var b certificateSettingsBody
	if ok, err := h.read(c, &b); !ok {
		return err
	}
	cs, err := h.Store.EventCertificateSettings(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	b.SignatoryName.str(&cs.SignatoryName, asIs)
	b.SignatoryPosition.str(&cs.SignatoryPosition, asIs)
	if b.AutoSend.Set {
		cs.AutoSend = b.AutoSend.V
	}
	saved, err := h.Certs.SaveSettings(c.Request.Context(), httpx.Principal(c), e, cs, c.ClientIP())
	if err != nil {
		return jsonFields(err)
	}
	c.JSON(http.StatusOK, settingsJSON(saved))
	return nil
}

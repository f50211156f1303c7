package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCertificatesSave stores who signs the event's certificates and
// whether they go out by themselves after the event.
func (h *Handler) EventCertificatesSave(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	cs := store.CertificateSettings{SignatoryName: c.PostForm("signatory_name"), SignatoryPosition: c.PostForm("signatory_position"),
		AutoSend: c.PostForm("auto_send") == "1"}
	_, err = h.Certificates.SaveSettings(c.Request.Context(), httpx.Principal(c), e, cs, c.ClientIP())
	return finish(c, err, "/admin/events/"+e.Slug+"?done=certificates_saved#certificates", func(f *form) error {
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: setup.InputOf(e), Cert: &cs}, f)
	})
}

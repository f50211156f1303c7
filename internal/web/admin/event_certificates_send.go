package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// EventCertificatesSend issues and e-mails the certificates of an event
// that is over to those who attended and have none yet.
func (h *Handler) EventCertificatesSend(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	_, err = h.Certificates.Send(c.Request.Context(), e.Slug, certificates.SendOptions{Actor: httpx.Principal(c), IP: c.ClientIP()})
	return finish(c, err, "/admin/events/"+e.Slug+"?done=certificates_sent#certificates", func(f *form) error {
		return h.eventForm(c, http.StatusUnprocessableEntity, eventForm{Event: e, Input: setup.InputOf(e)}, f)
	})
}

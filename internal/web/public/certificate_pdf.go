package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/certificates"
)

// CertificatePDF is the holder's certificate, in the page's language,
// issued now if the event is over, they attended and none was sent yet.
func (h *CertificatePages) CertificatePDF(c *gin.Context) error {
	r, err := privateLink(c, h.Verifier)
	if err != nil {
		return err
	}
	cert, err := h.Certs.Issued(c.Request.Context(), r)
	if err != nil {
		return err
	}
	lang := c.Param("lang")
	pdf, err := h.Certs.PDFOf(c.Request.Context(), r, cert, lang)
	if err != nil {
		return err
	}
	private(c, 0)
	c.Header("Content-Disposition", `inline; filename="`+certificates.Filename(h.Env.I18n.Localizer(lang), cert)+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}

package public

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// MyData shows the person, through their private link, everything held about them.
func (h *PrivacyHandler) MyData(c *gin.Context) error { return h.myData(c, "html") }

// MyDataJSON downloads the same as JSON.
func (h *PrivacyHandler) MyDataJSON(c *gin.Context) error { return h.myData(c, "json") }

func (h *PrivacyHandler) myData(c *gin.Context, format string) error {
	if h.Manage == nil {
		return apperr.ErrNotFound
	}
	r, err := privateLink(c, h.Manage)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	x, err := h.Privacy.ExportPerson(c.Request.Context(), privacy.ExportRequest{Registration: &r, Format: format, Channel: "private_link", Lang: lang},
		privacy.Actor{Label: "participant", IP: c.ClientIP()})
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	if format == "json" {
		httpx.SendJSONFile(c, x, fmt.Sprintf("my-data-%s.json", x.GeneratedAt.Format("20060102")))
		return nil
	}
	l := h.Env.I18n.Localizer(lang)
	page := view.ExportPage{Export: x, JSONURL: c.Request.URL.Path + ".json"}
	h.Env.HTML(c, http.StatusOK, "privacy/export.html", h.Env.NewPage(c, l.T("privacy.mydata.title"), page))
	return nil
}

func privacyNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, apperr.ErrNotFound)
}

package public

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// MyData shows the person, through their private link, everything held about them.
func (h *PrivacyHandler) MyData(c *gin.Context) { h.myData(c, "html") }

// MyDataJSON downloads the same as JSON.
func (h *PrivacyHandler) MyDataJSON(c *gin.Context) { h.myData(c, "json") }

func (h *PrivacyHandler) myData(c *gin.Context, format string) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 || h.Manage == nil {
		h.Env.FailStatus(c, http.StatusNotFound)
		return
	}
	r, err := h.Manage.VerifyManage(c.Request.Context(), id, c.Param("token"))
	if err != nil {
		if privacyNotFound(err) {
			err = apperr.ErrNotFound
		}
		h.Env.Fail(c, err)
		return
	}
	lang := httpx.Lang(c)
	x, err := h.Privacy.ExportPerson(c.Request.Context(), privacy.ExportRequest{Registration: &r, Format: format, Channel: "private_link", Lang: lang},
		privacy.Actor{Label: "participant", IP: c.ClientIP()})
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	if format == "json" {
		httpx.SendJSONFile(c, x, fmt.Sprintf("my-data-%s.json", x.GeneratedAt.Format("20060102")))
		return
	}
	l := h.Env.I18n.Localizer(lang)
	page := view.ExportPage{Export: x, JSONURL: c.Request.URL.Path + ".json"}
	h.Env.HTML(c, http.StatusOK, "privacy/export.html", h.Env.NewPage(c, l.T("privacy.mydata.title"), page))
}

func privacyNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, apperr.ErrNotFound)
}

package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ResultsShow is an event's public results page; 404 until a coordinator
// publishes it, and in languages the text does not exist in.
func (h *ResultsPages) ResultsShow(c *gin.Context) error {
	lang := httpx.Lang(c)
	p, err := h.Results.EventPage(c.Request.Context(), c.Param("slug"), lang)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(lang)
	page := h.Env.NewPage(c, l.T("results.title", "event", p.Title), p)
	page.Languages = p.Languages
	h.Env.HTML(c, http.StatusOK, "public/results.html", page)
	return nil
}

package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/results"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ResultsEmbed is the results as a bare fragment for the council's own
// site to frame: only the sites the project's coordinator listed may frame
// it; with none listed, no site may (the site-wide "never framed").
func (h *ResultsPages) ResultsEmbed(c *gin.Context) error {
	lang := httpx.Lang(c)
	p, err := h.Results.EventPage(c.Request.Context(), c.Param("slug"), lang)
	if err != nil {
		return err
	}
	origins, err := h.Results.EmbedOrigins(c.Request.Context(), p.Event.ProjectID)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(lang)
	c.Header("Content-Security-Policy", embedCSP+results.FrameAncestors(origins))
	if len(origins) > 0 {
		// X-Frame-Options cannot name several sites; frame-ancestors decides.
		c.Writer.Header().Del("X-Frame-Options")
	}
	h.Env.HTML(c, http.StatusOK, "public/results_embed.html", h.Env.NewPage(c, l.T("results.title", "event", p.Title), p))
	return nil
}

package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type noticePage struct {
	Project      store.Project
	ProjectTitle string
	Notice       store.PrivacyNotice
	Paragraphs   []string
	Fallback     string // language name shown when the notice is not in the visitor's language
}

// PrivacyNotice shows the project's current privacy notice in the visitor's
// language, or in English (then any language) with a note when missing.
func (h *PrivacyHandler) PrivacyNotice(c *gin.Context) error {
	p, err := h.Store.ProjectByCode(c.Request.Context(), h.Store.DB, c.Param("project"))
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	d := noticePage{Project: p, ProjectTitle: p.Title.In(lang)}
	n, err := h.Store.CurrentPrivacyNotice(c.Request.Context(), h.Store.DB, p.ID, lang)
	switch {
	case err == nil:
		d.Notice, d.Paragraphs = n, privacy.Paragraphs(n.Body)
		if n.Language != lang {
			d.Fallback = l.Language(n.Language)
		}
	case !privacyNotFound(err):
		return err
	}
	h.Env.HTML(c, http.StatusOK, "privacy/notice.html", h.Env.NewPage(c, l.T("privacy.page.title"), d))
	return nil
}

package privacyadmin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type noticesData struct {
	Project    store.Project
	Versions   []store.NoticeVersion
	Shown      store.PrivacyNotice
	Paragraphs []string
	Params     privacy.NoticeParams
	Languages  []string
	Errors     map[string]string
	Published  bool
	Preview    []string // the draft, not yet published
}

// Notices lists a project's notice versions, shows one (?v=&lang=) and offers
// the form that publishes the next version.
func (h *Handler) Notices(c *gin.Context) error {
	p, err := h.project(c)
	if err != nil {
		return err
	}
	return h.notices(c, p, http.StatusOK, nil, nil, nil)
}

// notices shows project p's notices page; params fill the form (nil: the
// current ones), errs are its field messages, preview a draft's paragraphs.
func (h *Handler) notices(c *gin.Context, p store.Project, status int, params *privacy.NoticeParams, errs map[string]string, preview []string) error {
	d := noticesData{Project: p, Errors: errs, Languages: i18n.Languages, Published: c.Query("published") != "", Preview: preview}
	var err error
	if d.Versions, err = h.Store.PrivacyNoticeVersions(c.Request.Context(), h.Store.DB, p.ID); err != nil {
		return err
	}
	if len(d.Versions) > 0 {
		v := d.Versions[0].Version
		if q := c.Query("v"); q != "" {
			// Versions are PostgreSQL integers: a larger number is no version.
			n, err := strconv.ParseInt(q, 10, 32)
			if err != nil || n <= 0 {
				return apperr.ErrNotFound
			}
			v = int(n)
		}
		lang := c.DefaultQuery("lang", httpx.Lang(c))
		if d.Shown, err = h.Store.PrivacyNoticeVersion(c.Request.Context(), h.Store.DB, p.ID, v, lang); err != nil {
			return err
		}
		d.Paragraphs = privacy.Paragraphs(d.Shown.Body)
	}
	if params != nil {
		d.Params = *params
	} else if d.Params, err = h.Privacy.CurrentParams(c.Request.Context(), p.ID); err != nil {
		return err
	}
	if len(d.Versions) == 0 && d.Preview == nil {
		// A new project: the template's draft, naming its controller, to
		// review before publishing it in every language.
		r, err := h.Store.RetentionByCode(c.Request.Context(), h.Store.DB, p.Code)
		if err != nil {
			return err
		}
		d.Preview = privacy.Paragraphs(privacy.RenderNotice(h.Env.I18n.Localizer(httpx.Lang(c)), d.Params, r, p))
	}
	h.render(c, status, "privacy/notices.html", "privacy.notices.title", d)
	return nil
}
